// Public face of the engine: pure TypeScript, no DOM, no worker or Node globals.
export * from './scenario.ts'
export * from './types.ts'
export { createSimulation, runSimulation } from './sim.ts'
export type { EngineOptions, Simulation } from './sim.ts'
export { COSTS, effectiveRates, type Costs } from './costs.ts'
export { lineRatePps } from './constants.ts'
