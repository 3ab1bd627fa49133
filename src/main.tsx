import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import '@fontsource/dejavu-sans/400.css'
import '@fontsource/dejavu-sans/700.css'
import '@fontsource/dejavu-mono/400.css'
import './ui/app.css'
import { App } from './ui/App.tsx'

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
