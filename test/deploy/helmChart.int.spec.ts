/**
 * The Helm chart (deploy/helm/tickvault) with the real Helm 4, built from its Go module by
 * deploy/local/goTools.mjs: `helm lint --strict` passes for the default values and the ci/ value
 * files; `helm template` renders each, and every rendered object passes the manifest validator
 * (strict decoding into the Kubernetes API's Go types, deploy/helm/validate); what is rendered
 * is what the chart promises (a Deployment per role with its probes, one ingest, the API's
 * autoscaler, labels, keys a tickvault process accepts); and values.schema.json refuses bad
 * values (two sequencers, an unknown setting). Without Go the tests skip with a warning, and
 * under CI=true they fail saying so.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureHelm, ensureManifestValidator, findGo } from '../../deploy/local/goTools.mjs';
import { loadOrCreateSigningKey } from '../../src/adapters/ledger/checkpoint/signingKeyFile.js';
import { API_KEY_SHAPE } from '../../src/adapters/system/apiKeySecret.js';
import { SETTING_LIST } from '../../src/app/settings/settings.js';
import { repoRoot } from '../support/sharedData.js';

const CHART = path.join(repoRoot, 'deploy', 'helm', 'tickvault');
const schema = JSON.parse(readFileSync(path.join(CHART, 'values.schema.json'), 'utf8')) as { properties: { settings: { properties: Record<string, unknown> } } };
const ROLES = ['api', 'ingest', 'live', 'batch', 'alerts', 'relay', 'jobs'];
const SPARK_APPLICATION = 'sparkoperator.k8s.io/v1beta2/SparkApplication';
const RECOMMENDED_LABELS = ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/version', 'app.kubernetes.io/managed-by', 'app.kubernetes.io/part-of'];
/** Settings the chart sets itself (the ConfigMap, a Secret or the role's --roles flag), so values.settings may not. */
const SET_BY_CHART = [
  'TICKVAULT_PROFILE', 'HOST', 'PORT', 'TICKVAULT_DATA_DIR', 'TICKVAULT_LEDGER_KEY_FILE', 'TICKVAULT_ADMIN_KEY_FILE', 'TICKVAULT_ROLES',
  'TICKVAULT_POSTGRES_URL', 'TICKVAULT_POSTGRES_SCHEMA', 'TICKVAULT_REDIS_URL', 'TICKVAULT_KAFKA_BROKERS', 'TICKVAULT_KAFKA_TOPIC_PREFIX',
  'TICKVAULT_HBASE_URL', 'TICKVAULT_HBASE_TABLE_PREFIX', 'TICKVAULT_LAKE', 'TICKVAULT_HDFS_WEB_URL',
  // The local stack's folder: a pod has none.
  'TICKVAULT_STACK_DIR',
];
/** Read by the logger, not a row of the settings table. */
const LOG_FORMAT = 'LOG_FORMAT';

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}
interface Container {
  name: string;
  args?: string[];
  livenessProbe?: { httpGet?: { path: string; port: string } };
  readinessProbe?: { httpGet?: { path: string; port: string } };
  resources?: { requests?: Record<string, string> };
  env?: Array<{ name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
}
interface DeploymentSpec { replicas?: number; strategy?: { type: string }; template: { spec: { containers: Container[] } } }

const run = promisify(execFile);
const go = findGo();
const ci = process.env['CI'] === 'true';
if (go === undefined) console.warn(ci ? 'CI=true: the Helm chart tests will FAIL: Go is not installed' : 'skipping the Helm chart tests: Go is not installed (they build Helm 4 from its Go module)');

const runWithInput = (cmd: string, args: readonly string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });

describe.skipIf(go === undefined && !ci)('the Helm chart deploy/helm/tickvault', () => {
  let helm: string;
  let validator: string;
  let scratch: string;
  beforeAll(async () => {
    if (go === undefined) throw new Error('Go is not installed: the Helm chart tests build Helm 4 and the manifest validator from their Go modules (under CI=true a missing tool is a failure, not a skip)');
    const log = (line: string): void => console.warn(`[go-tools] ${line}`);
    helm = await ensureHelm({ log });
    validator = await ensureManifestValidator({ log });
    scratch = mkdtempSync(path.join(os.tmpdir(), 'tv-helm-'));
  }, 30 * 60_000);
  afterAll(() => {
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  });

  const valueArgs = (file: string | undefined): string[] => (file === undefined ? [] : ['--values', file]);
  const template = async (file?: string): Promise<string> =>
    (await run(helm, ['template', 'markets', CHART, '--namespace', 'trading', ...valueArgs(file)], { maxBuffer: 16 << 20 })).stdout;
  /** Rendered and validated against the Kubernetes types; the objects as the validator read them. */
  const renderValid = async (file?: string): Promise<K8sObject[]> => {
    const checked = await runWithInput(validator, ['-custom', SPARK_APPLICATION, '-json'], await template(file));
    expect(checked.stderr, 'the manifest validator').not.toMatch(/INVALID/);
    expect(checked.code, checked.stderr).toBe(0);
    return JSON.parse(checked.stdout) as K8sObject[];
  };
  const named = (objects: K8sObject[], kind: string, name: string): K8sObject => {
    const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
    if (found === undefined) throw new Error(`no ${kind}/${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
    return found;
  };
  const deployment = (objects: K8sObject[], role: string): DeploymentSpec => named(objects, 'Deployment', `markets-tickvault-${role}`).spec as unknown as DeploymentSpec;
  const secretText = (o: K8sObject, key: string): string => Buffer.from(o.data![key]!, 'base64').toString('utf8');
  const VALUE_FILES = ['ci/managed-services.yaml', 'ci/minimal.yaml'].map((f) => path.join(CHART, f));

  it('passes helm lint --strict with the default values and every ci/ value file', async () => {
    for (const file of [undefined, ...VALUE_FILES]) {
      const { stdout } = await run(helm, ['lint', '--strict', CHART, ...valueArgs(file)]);
      expect(stdout, file ?? 'default values').toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
    }
  }, 120_000);

  it('default values: a Deployment per role running `start --roles ROLE` with liveness and readiness probes and resources, one ingest, the API autoscaled, every object labelled', async () => {
    const objects = await renderValid();
    for (const role of ROLES) {
      const spec = deployment(objects, role);
      const [container] = spec.template.spec.containers;
      expect(container!.args, role).toEqual(['start', '--roles', role]);
      expect(container!.livenessProbe?.httpGet, role).toEqual({ path: '/health/live', port: 'http' });
      expect(container!.readinessProbe?.httpGet, role).toEqual({ path: '/health/ready', port: 'http' });
      expect(Object.keys(container!.resources?.requests ?? {}).sort(), role).toEqual(['cpu', 'memory']);
    }
    expect(deployment(objects, 'ingest')).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' } });
    // The autoscaler owns the API's replica count.
    expect(deployment(objects, 'api').replicas).toBeUndefined();
    expect(named(objects, 'HorizontalPodAutoscaler', 'markets-tickvault-api').spec).toMatchObject({ scaleTargetRef: { kind: 'Deployment', name: 'markets-tickvault-api' }, minReplicas: 2, maxReplicas: 8 });
    for (const o of objects) {
      for (const label of RECOMMENDED_LABELS) expect(o.metadata.labels?.[label], `${o.kind}/${o.metadata.name} ${label}`).toBeTruthy();
    }
    expect(objects.filter((o) => o.kind === 'CronJob').map((o) => o.metadata.name)).toEqual(['markets-tickvault-spark-batch-views']);
  }, 120_000);

  it('default values: the keys the chart makes are keys tickvault takes (an admin key of its shape; an Ed25519 signing key its loader reads)', async () => {
    const objects = await renderValid();
    expect(secretText(named(objects, 'Secret', 'markets-tickvault-admin-key'), 'admin-key')).toMatch(API_KEY_SHAPE);
    const ledgerKey = named(objects, 'Secret', 'markets-tickvault-ledger-key');
    expect(ledgerKey.metadata.annotations?.['helm.sh/resource-policy']).toBe('keep');
    const file = path.join(scratch, 'ledger-key.json');
    writeFileSync(file, secretText(ledgerKey, 'ledger-key.json'), { mode: 0o600 });
    const signer = loadOrCreateSigningKey(file);
    expect(signer.origin).toMatch(/^tickvault\.k8s\/ledger-[a-z0-9]{8}$/);
  }, 120_000);

  it('managed services: Strimzi bootstrap, the URLs from the operator\'s Secrets, SparkApplications for the streams, no chart-made keys', async () => {
    const objects = await renderValid(VALUE_FILES[0]);
    const settings = named(objects, 'ConfigMap', 'markets-tickvault-settings').data!;
    expect(settings['TICKVAULT_KAFKA_BROKERS']).toBe('market-events-kafka-bootstrap.kafka.svc:9093');
    expect(settings['TICKVAULT_KAFKA_TOPIC_PREFIX']).toBe('prod.');
    const env = deployment(objects, 'api').template.spec.containers[0]!.env!;
    expect(env.find((e) => e.name === 'TICKVAULT_POSTGRES_URL')?.valueFrom?.secretKeyRef).toEqual({ name: 'tickvault-postgres', key: 'url' });
    expect(env.find((e) => e.name === 'TICKVAULT_REDIS_URL')?.valueFrom?.secretKeyRef).toEqual({ name: 'tickvault-redis', key: 'url' });
    const apps = objects.filter((o) => o.kind === 'SparkApplication');
    expect(apps.map((o) => o.metadata.name).sort()).toEqual(['markets-tickvault-archive', 'markets-tickvault-stream-windows']);
    expect(apps.map((o) => (o.spec!['arguments'] as string[]).slice(0, 5))).toContainEqual(['archive', '--bootstrap', 'market-events-kafka-bootstrap.kafka.svc:9093', '--topics', 'prod.crypto.prices.raw,prod.crypto.market,prod.crypto.alerts,prod.crypto.predictions,prod.crypto.corrections']);
    expect(objects.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name)).toEqual([]);
    expect(named(objects, 'HorizontalPodAutoscaler', 'markets-tickvault-api').spec).toMatchObject({ minReplicas: 3, maxReplicas: 20 });
  }, 120_000);

  it('minimal values: one API process without an autoscaler, no Spark workload', async () => {
    const objects = await renderValid(VALUE_FILES[1]);
    expect(deployment(objects, 'api').replicas).toBe(1);
    expect(objects.filter((o) => ['HorizontalPodAutoscaler', 'PodDisruptionBudget', 'CronJob', 'SparkApplication'].includes(o.kind))).toEqual([]);
    expect(objects.filter((o) => o.kind === 'Deployment')).toHaveLength(ROLES.length);
  }, 120_000);

  it('the manifest validator refuses what the Kubernetes API would: an unknown field, a wrong type, a selector that misses its pods', async () => {
    const rendered = await template();
    const cases: Array<[string, string, RegExp]> = [
      ['unknown field', rendered.replace('revisionHistoryLimit: 5', 'revisionHistoryLimit: 5\n  replica: 3'), /unknown field "spec.replica"/],
      ['wrong type', rendered.replace('revisionHistoryLimit: 5', 'revisionHistoryLimit: "five"'), /revisionHistoryLimit/],
      ['selector', rendered.split('\n---\n').map((doc) => (/kind: Deployment\nmetadata:\n {2}name: markets-tickvault-api\n/.test(doc) ? doc.replace(/(matchLabels:\n(?:\s+.+\n)*?\s+app\.kubernetes\.io\/component: )api/, '$1apl') : doc)).join('\n---\n'), /would select none of its own pods/],
    ];
    for (const [what, manifests, message] of cases) {
      expect(manifests, what).not.toBe(rendered);
      const checked = await runWithInput(validator, ['-custom', SPARK_APPLICATION], manifests);
      expect(checked.code, what).toBe(1);
      expect(checked.stderr, what).toMatch(message);
    }
  }, 120_000);

  it('values.schema.json refuses two sequencers, an unknown setting and a bad setting value, saying which value', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['two-ingest.yaml', 'roles:\n  ingest:\n    enabled: true\n    replicas: 2\n    resources: {}\n', /roles\/ingest\/replicas/],
      ['unknown-setting.yaml', 'settings:\n  TICKVAULT_NO_SUCH_SETTING: "1"\n', /TICKVAULT_NO_SUCH_SETTING/],
      ['bad-level.yaml', 'settings:\n  LOG_LEVEL: loud\n', /LOG_LEVEL/],
    ];
    for (const [name, values, message] of cases) {
      const file = path.join(scratch, name);
      writeFileSync(file, values);
      for (const args of [['lint', '--strict', CHART], ['template', 'markets', CHART]]) {
        const failed = await run(helm, [...args, '--values', file]).then(() => undefined, (e: { stdout: string; stderr: string }) => `${e.stdout}${e.stderr}`);
        expect(failed, `${args[0]} ${name}`).toBeDefined();
        expect(failed, `${args[0]} ${name}`).toMatch(message);
      }
    }
  }, 120_000);

  it('values.settings takes exactly the settings the chart does not set itself', () => {
    const envs = SETTING_LIST.map(([, spec]) => spec.env).filter((e): e is string => e !== undefined);
    const settable = Object.keys(schema.properties.settings.properties).sort();
    expect(settable.filter((e) => e !== LOG_FORMAT && !envs.includes(e)), 'not a setting').toEqual([]);
    expect(envs.filter((e) => !SET_BY_CHART.includes(e) && !settable.includes(e)), 'neither settable nor set by the chart').toEqual([]);
    expect(settable.filter((e) => SET_BY_CHART.includes(e)), 'settable though the chart sets it').toEqual([]);
  });
});
