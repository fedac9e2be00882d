/**
 * The stack as one run uses it (`npm test`): it starts what is not running, tells what it started
 * from what it found running, and at the end stops only what it started (also after a failed
 * start), unless asked to keep it. Fake components: no server is touched.
 */
import { describe, expect, it } from 'vitest';
import { createRunStack, type StackComponent } from '../../deploy/local/lib/runStack.mjs';

interface World {
  readonly running: Set<string>;
  readonly calls: string[];
}

const fake = (world: World, name: string, options: { failStart?: boolean } = {}): StackComponent<World> => ({
  name,
  install: async (w) => void w.calls.push(`install ${name}`),
  start: async (w) => {
    w.calls.push(`start ${name}`);
    w.running.add(name);
    if (options.failStart === true) throw new Error(`${name} did not become healthy`);
  },
  stop: async (w) => {
    w.calls.push(`stop ${name}`);
    w.running.delete(name);
  },
  status: async (w) => ({ ok: w.running.has(name) && !(options.failStart === true) }),
});

const setUp = (alreadyRunning: string[], failing?: string) => {
  const world: World = { running: new Set(alreadyRunning), calls: [] };
  const components = ['redis', 'postgres', 'kafka', 'hbase'].map((n) => fake(world, n, { failStart: n === failing }));
  return { world, stack: createRunStack({ components, contextFor: () => world }) };
};

describe('the stack of one run', () => {
  it('starts only what is not running and, at the end, stops only that, in reverse order', async () => {
    const { world, stack } = setUp(['postgres']);
    await stack.up();
    expect(stack.started).toEqual(['redis', 'kafka', 'hbase']);
    expect(stack.alreadyRunning).toEqual(['postgres']);
    expect(world.calls).toEqual(['install redis', 'start redis', 'install kafka', 'start kafka', 'install hbase', 'start hbase']);
    world.calls.length = 0;
    const said = await stack.release({ keep: false });
    expect(world.calls).toEqual(['stop hbase', 'stop kafka', 'stop redis']);
    expect([...world.running]).toEqual(['postgres']);
    expect(said).toBe('stack: stopped what this run started (redis, kafka, hbase); left running what was running before it (postgres); pass --keep-stack to keep everything running');
  });

  it('--keep-stack stops nothing and says what was started and what was running', async () => {
    const { world, stack } = setUp(['redis']);
    await stack.up();
    world.calls.length = 0;
    const said = await stack.release({ keep: true });
    expect(world.calls).toEqual([]);
    expect([...world.running].sort()).toEqual(['hbase', 'kafka', 'postgres', 'redis']);
    expect(said).toBe('stack kept running (--keep-stack): started by this run: postgres, kafka, hbase; running before it: redis');
  });

  it('a start that fails still has what it started so far stopped, the failing one included', async () => {
    const { world, stack } = setUp([], 'kafka');
    await expect(stack.up()).rejects.toThrow('kafka did not become healthy');
    expect(stack.started).toEqual(['redis', 'postgres', 'kafka']);
    await stack.release({ keep: false });
    expect(world.running.size).toBe(0);
    expect(world.calls.filter((c) => c.startsWith('stop'))).toEqual(['stop kafka', 'stop postgres', 'stop redis']);
  });

  it('when everything was running before, the run stops nothing', async () => {
    const { world, stack } = setUp(['redis', 'postgres', 'kafka', 'hbase']);
    await stack.up();
    expect(stack.started).toEqual([]);
    expect(await stack.release({ keep: false })).toContain('stopped what this run started (none)');
    expect(world.calls).toEqual([]);
  });
});
