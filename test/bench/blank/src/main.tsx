import { createRoot } from 'react-dom/client'

// The baseline for ui.first_paint: the smallest Vite + React page that paints a heading.
createRoot(document.getElementById('root')!).render(<h1>Hello</h1>)
