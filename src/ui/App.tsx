import { useEffect, useState } from 'react'
import { startSimWorker } from '../worker/client.ts'

export function App() {
  const [status, setStatus] = useState('starting worker…')
  useEffect(() => {
    const w = startSimWorker()
    w.api.ping(1000).then((a) => setStatus(`worker ok: ${a.length} values, last ${a[a.length - 1]}`))
    return w.terminate
  }, [])
  return (
    <main>
      <h1>irqlab</h1>
      <p data-testid="worker-status">{status}</p>
    </main>
  )
}
