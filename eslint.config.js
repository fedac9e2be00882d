import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The direction of imports (docs/architecture.md, "Layers"): what each layer under src/ may import
 * besides itself. Tests, scripts and benchmarks may import anything.
 */
export const LAYERS = {
  domain: [],
  commands: ['domain'],
  projections: ['domain', 'commands'],
  'read-models': ['domain'],
  adapters: ['domain', 'commands', 'projections', 'read-models'],
  app: ['domain', 'commands', 'projections', 'read-models', 'adapters'],
  cli: ['domain', 'commands', 'projections', 'read-models', 'app'],
};

/** The domain is pure: no Node built-ins either (the codec libraries are its only packages). */
const DOMAIN_BUILTINS = { regex: '^(node:|fs$|path$|crypto$)', message: 'the domain is pure: no Node built-ins (do the I/O in an adapter behind a port in domain/ports.ts)' };

/**
 * One no-restricted-imports entry per layer and folder depth: from src/{layer}/ at depth d, an
 * import reaches another layer exactly as `../` × (d + 1) followed by that layer's folder, and
 * leaves src/ with one `../` more. Matching the exact depth keeps a layer's own subfolders that
 * share a name with a layer (src/cli/commands/) out of the rule.
 */
const MAX_DEPTH = 5;

function layerRules() {
  const layers = Object.keys(LAYERS);
  return layers.flatMap((layer) => {
    const forbidden = layers.filter((other) => other !== layer && !LAYERS[layer].includes(other));
    const allowed = LAYERS[layer].length === 0 ? 'nothing outside it' : LAYERS[layer].join(', ');
    return Array.from({ length: MAX_DEPTH }, (_, depth) => {
      const up = '\\.\\./'.repeat(depth + 1);
      const patterns = [
        {
          regex: `^${up}(${forbidden.join('|')})(/|$)`,
          message: `src/${layer}/ may import ${allowed} (the layers table in docs/architecture.md): put a shared name or type in src/domain/ (names.ts, ports.ts), or let src/app/ wire the two together.`,
        },
        { regex: `^${up}\\.\\./`, message: 'code under src/ imports nothing outside src/.' },
        ...(layer === 'domain' ? [DOMAIN_BUILTINS] : []),
      ];
      return {
        files: [`src/${layer}/${'*/'.repeat(depth)}*.ts`],
        rules: { 'no-restricted-imports': ['error', { patterns }] },
      };
    });
  });
}

/**
 * web/ (the dashboard, built by Vite, run in a browser) imports packages and its own files only:
 * it reads the platform over HTTP, never from src/. From web/ at depth d, `../` × (d + 1) leaves it.
 */
function webRules() {
  return Array.from({ length: MAX_DEPTH }, (_, depth) => ({
    files: [`web/${'*/'.repeat(depth)}*.ts`],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: `^${'\\.\\./'.repeat(depth + 1)}`, message: 'web/ (the dashboard) imports packages and files under web/ only: it reads the platform over HTTP (the layers table in docs/architecture.md).' }],
      }],
    },
  }));
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.data/', '.stack/', 'spark-jobs/', 'web/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['scripts/**/*.mjs', 'bin/**/*.mjs', 'bench/**/*.mjs', 'deploy/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', fetch: 'readonly', URL: 'readonly', Buffer: 'readonly', AbortSignal: 'readonly' } },
  },
  ...layerRules(),
  ...webRules(),
);
