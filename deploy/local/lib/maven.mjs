// Installing Java servers from Maven Central: a generated `pom`-packaging project whose
// dependencies are copied into a lib folder. A second run finds the marker and reuses the jars.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const dependencyXml = ({ group, artifact, version, excludeAll = [] }) => {
  const exclusions = excludeAll.length === 0
    ? ''
    : `<exclusions>${excludeAll.map((g) => `<exclusion><groupId>${g}</groupId><artifactId>*</artifactId></exclusion>`).join('')}</exclusions>`;
  return `  <dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${version}</version>${exclusions}</dependency>`;
};

/**
 * Copies `dependencies` (and what they need at run time) into `{dir}/lib`. The marker file
 * names the exact set, so changing a version reinstalls and an unchanged set is reused.
 */
export const installJars = async ({ dir, name, dependencies, log, timeoutMs = 600_000 }) => {
  const lib = path.join(dir, 'lib');
  const signature = dependencies.map((d) => `${d.group}:${d.artifact}:${d.version}`).join(' ');
  const marker = path.join(lib, '.installed');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === signature) {
    log(`reusing ${readdirSync(lib).length - 1} jars in ${lib}`);
    return lib;
  }
  mkdirSync(dir, { recursive: true });
  const pom = path.join(dir, 'pom.xml');
  writeFileSync(
    pom,
    `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
 <groupId>local</groupId><artifactId>${name}</artifactId><version>1</version><packaging>pom</packaging>
 <dependencies>
${dependencies.map(dependencyXml).join('\n')}
 </dependencies></project>
`,
  );
  log(`downloading ${signature} and its dependencies from Maven (a minute or two the first time)`);
  try {
    await run('mvn', ['-B', '-q', '-f', pom, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${lib}`], {
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    const out = `${e.stdout ?? ''}${e.stderr ?? ''}`.split('\n').slice(-30).join('\n');
    throw new Error(`installing ${name}: mvn dependency:copy-dependencies failed (is Maven installed and the repository reachable?)\n${out}`);
  }
  writeFileSync(marker, signature);
  log(`installed ${readdirSync(lib).length - 1} jars in ${lib}`);
  return lib;
};
