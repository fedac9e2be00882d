/**
 * Where the CPU went during a timed section: this process's CPU-seconds, and how many of the
 * machine's cores were busy on average (every process: servers included). A ratio that will not
 * move while the machine's cores are all busy is a statement about the machine, not the code.
 */
import os from 'node:os';

const machineTimes = (): { busy: number; total: number } => {
  let busy = 0;
  let total = 0;
  for (const c of os.cpus()) {
    const { user, nice, sys, idle, irq } = c.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + idle + irq;
  }
  return { busy, total };
};

export interface CpuReading {
  /** CPU-seconds this process used. */
  readonly processCpuS: number;
  /** Average busy cores over the section, of `cores`. */
  readonly busyCores: number;
  readonly cores: number;
}

export const startCpuMeter = (): (() => CpuReading) => {
  const cores = os.cpus().length;
  const process0 = process.cpuUsage();
  const machine0 = machineTimes();
  return () => {
    const p = process.cpuUsage(process0);
    const m = machineTimes();
    const total = m.total - machine0.total;
    return {
      processCpuS: Number(((p.user + p.system) / 1e6).toFixed(2)),
      busyCores: total <= 0 ? 0 : Number((((m.busy - machine0.busy) / total) * cores).toFixed(2)),
      cores,
    };
  };
};
