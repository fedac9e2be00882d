/**
 * The dashboard's build: web/ → dist/web/ (index.html and content-hashed assets), served by the
 * API at `/` (src/adapters/http/dashboard/). Kept inside web/ so vitest, which brings its own
 * Vite, never picks it up.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  logLevel: 'warn',
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    // Source maps stay out of the served folder: the page budget counts what a browser loads.
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
});
