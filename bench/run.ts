console.log('bench: todo')
