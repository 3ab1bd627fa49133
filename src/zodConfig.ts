// Imported first by the page and the worker: zod's JIT compiles validators with `new Function`,
// which the Content-Security-Policy forbids (no eval). Jitless mode validates the same way.
import { config } from 'zod'

config({ jitless: true })
