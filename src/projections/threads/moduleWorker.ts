/**
 * Starts a worker thread on one of this code base's modules, whether the code runs compiled (the
 * .js beside the caller) or from its TypeScript sources (under tsx or the test runner: the .ts,
 * through tsx's loader registered in the worker first). Shared by the threads that move CPU-heavy
 * work off the main thread (the alert engine's fold, the embedded model trainer).
 */
import { Worker } from 'node:worker_threads';

const WORKER_PROGRAM = `
const { workerData } = require('node:worker_threads');
const loader = workerData.typescript ? import('tsx/esm/api').then((tsx) => tsx.register()) : Promise.resolve();
loader.then(() => import(workerData.entry));
`;

/**
 * `callerUrl` is the caller's import.meta.url and `stem` the worker module's path relative to it,
 * without extension (`./alertEngineWorker`); the worker reads `data` as its workerData.
 */
export const startModuleWorker = (callerUrl: string, stem: string, data: object): Worker => {
  const typescript = callerUrl.endsWith('.ts');
  const entry = new URL(`${stem}.${typescript ? 'ts' : 'js'}`, callerUrl).href;
  return new Worker(WORKER_PROGRAM, { eval: true, workerData: { ...data, entry, typescript } });
};
