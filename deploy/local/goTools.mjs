#!/usr/bin/env node
// The Go-built tools the chart's test needs, installed into one folder (TICKVAULT_TOOLS_DIR,
// default .stack/tools) from the Go module proxy, nothing prebuilt: Helm 4 (`go install
// helm.sh/helm/v4/cmd/helm@VERSION`) and the manifest validator (deploy/helm/validate, checked
// against the Kubernetes API's Go types). A second run reuses what is there: Helm when its
// `helm version` is the pinned one, the validator when its sources have not changed since it was
// built (Helm's own `helm version` says v4.3 only, so the module version `go version -m` reads
// from the binary is what is checked). Building Helm takes minutes (longer on a busy machine);
// its log is in the tools folder.
//   node deploy/local/goTools.mjs        installs both and prints their paths
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandPath } from './lib/commands.mjs';
import { repoRoot } from './lib/settings.mjs';

export const HELM_MODULE = 'helm.sh/helm/v4';
export const HELM_VERSION = 'v4.3.2';
const VALIDATOR_SOURCE = path.join(repoRoot, 'deploy', 'helm', 'validate');
const GO_FALLBACK = '/usr/local/go/bin/go';

export const toolsDir = (env = process.env) => path.resolve(repoRoot, env.TICKVAULT_TOOLS_DIR || path.join('.stack', 'tools'));

/** The go command, or undefined when there is none (on the PATH, or Go's default install folder). */
export const findGo = () => commandPath('go') ?? (existsSync(GO_FALLBACK) ? GO_FALLBACK : undefined);

const NO_GO = 'Go is not installed: the Helm chart\'s test builds Helm 4 and the manifest validator from their Go modules. Install Go 1.25 or newer (https://go.dev/doc/install, or Debian\'s golang-go) and put `go` on the PATH.';

/** Runs `go ARGS` with its output into the log file; rejects with the log's tail when it fails. */
const runGo = (go, args, { cwd, env, log }) =>
  new Promise((resolve, reject) => {
    const out = createWriteStream(log, { flags: 'a' });
    out.write(`\n$ go ${args.join(' ')}  (${new Date().toISOString()})\n`);
    // GOTOOLCHAIN=local: build with the Go that is here, never fetch another toolchain.
    const child = spawn(go, args, { cwd, env: { ...process.env, GOTOOLCHAIN: 'local', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.on('error', reject);
    child.on('close', (code) => {
      out.end(() => {
        if (code === 0) return resolve();
        const tail = readFileSync(log, 'utf8').split('\n').slice(-25).join('\n');
        reject(new Error(`go ${args.join(' ')} failed (exit ${code}); the end of ${log}:\n${tail}`));
      });
    });
  });

/** The version of `module` a Go binary was built from (`go version -m`), or undefined. */
const moduleVersionOf = (go, bin, module) => {
  try {
    const info = execFileSync(go, ['version', '-m', bin], { encoding: 'utf8', timeout: 30_000 });
    return new RegExp(`^\\s*mod\\s+${module.replace(/\./g, '\\.')}\\s+(\\S+)`, 'm').exec(info)?.[1];
  } catch {
    return undefined;
  }
};

/** Helm's path, built with `go install` when it is missing or another version. */
export const ensureHelm = async ({ dir = toolsDir(), log = () => undefined } = {}) => {
  const bin = path.join(dir, 'bin');
  const helm = path.join(bin, 'helm');
  const go = findGo();
  if (go === undefined) throw new Error(NO_GO);
  if (existsSync(helm) && moduleVersionOf(go, helm, HELM_MODULE) === HELM_VERSION) return helm;
  mkdirSync(bin, { recursive: true });
  const logFile = path.join(dir, 'helm-build.log');
  log(`building Helm ${HELM_VERSION} from ${HELM_MODULE} (minutes; log: ${logFile})`);
  await runGo(go, ['install', `${HELM_MODULE}/cmd/helm@${HELM_VERSION}`], { cwd: dir, env: { GOBIN: bin }, log: logFile });
  const built = moduleVersionOf(go, helm, HELM_MODULE);
  if (built !== HELM_VERSION) throw new Error(`${helm} was built from ${HELM_MODULE} ${built ?? '(unknown version)'}, expected ${HELM_VERSION}`);
  return helm;
};

const validatorSourceHash = () => {
  const h = createHash('sha256');
  for (const f of readdirSync(VALIDATOR_SOURCE).filter((n) => /\.go$|^go\.(mod|sum)$/.test(n)).sort()) {
    h.update(f).update('\0').update(readFileSync(path.join(VALIDATOR_SOURCE, f))).update('\0');
  }
  return h.digest('hex');
};

/** The manifest validator's path, rebuilt when its sources changed since the last build. */
export const ensureManifestValidator = async ({ dir = toolsDir(), log = () => undefined } = {}) => {
  const bin = path.join(dir, 'bin');
  const validator = path.join(bin, 'k8s-manifest-validate');
  const stamp = path.join(dir, 'k8s-manifest-validate.sha256');
  const hash = validatorSourceHash();
  if (existsSync(validator) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === hash) return validator;
  const go = findGo();
  if (go === undefined) throw new Error(NO_GO);
  mkdirSync(bin, { recursive: true });
  const logFile = path.join(dir, 'k8s-manifest-validate-build.log');
  log(`building the manifest validator from ${path.relative(repoRoot, VALIDATOR_SOURCE)} (log: ${logFile})`);
  await runGo(go, ['build', '-buildvcs=false', '-o', validator, '.'], { cwd: VALIDATOR_SOURCE, env: {}, log: logFile });
  writeFileSync(stamp, `${hash}\n`);
  return validator;
};

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const log = (line) => console.error(`[go-tools] ${line}`);
  // One build after the other: each already uses every core.
  (async () => [await ensureHelm({ log }), await ensureManifestValidator({ log })])().then(
    ([helm, validator]) => console.log(`helm ${HELM_VERSION}: ${helm}\nmanifest validator: ${validator}`),
    (e) => {
      console.error(`go-tools: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
