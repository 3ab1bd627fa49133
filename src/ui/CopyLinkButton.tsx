// "Copy link": puts the link in the address bar and on the clipboard, and says what happened.
import { useEffect, useState } from 'react'

export function CopyLinkButton({ makeLink }: { makeLink: () => string }) {
  const [msg, setMsg] = useState('')
  useEffect(() => { if (!msg) return; const t = setTimeout(() => setMsg(''), 2500); return () => clearTimeout(t) }, [msg])
  const copy = async () => {
    const link = makeLink()
    history.replaceState(history.state, '', link)
    try {
      await navigator.clipboard.writeText(link)
      setMsg(`Copied (${link.length} characters)`)
    } catch {
      setMsg('Copy failed: the link is in the address bar')
    }
  }
  return (
    <>
      <button type="button" onClick={() => void copy()}>Copy link</button>
      <span className="status-msg" role="status">{msg}</span>
    </>
  )
}
