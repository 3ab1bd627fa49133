// Placeholder, replaced with the real command line.
console.log('irqlab sim')
