// CPU seconds and peak RSS of another process, from /proc (Linux only). Peak RSS is VmHWM, which
// `resetPeakRss` sets back to the current RSS (clear_refs 5, Linux ≥ 4.0), so a long-lived server can be
// measured per scenario.
import { readFileSync, writeFileSync } from 'node:fs';

const ticksPerSecond = 100; // USER_HZ on Linux

/** user + system CPU seconds used so far by `pid` (threads included). */
export function readCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command: state is field 3, utime field 14, stime field 15 (1-based, proc(5)).
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return Number.NaN;
  }
}

function readStatusKib(pid: number, name: string): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
    return match === null ? Number.NaN : Number(match[1]);
  } catch {
    return Number.NaN;
  }
}

export function readPeakRssBytes(pid: number): number {
  return readStatusKib(pid, 'VmHWM') * 1024;
}

export function readRssBytes(pid: number): number {
  return readStatusKib(pid, 'VmRSS') * 1024;
}

/** Best effort: false when the kernel refuses (then the peak covers the process lifetime). */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** CPU and peak-RSS meter over one measured interval of a process. */
export interface ProcessMeter {
  stop(): { cpuSeconds: number; peakRssBytes: number };
}

export function startProcessMeter(pid: number): ProcessMeter {
  resetPeakRss(pid);
  const startCpu = readCpuSeconds(pid);
  return {
    stop: () => ({ cpuSeconds: readCpuSeconds(pid) - startCpu, peakRssBytes: readPeakRssBytes(pid) }),
  };
}
