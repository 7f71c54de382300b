import { readdirSync, readFileSync } from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';

// Memory deltas are only meaningful after garbage from earlier work is collected; the flag is
// set at run time so `npm run bench` needs no Node options.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

/** Resident set size in bytes once collectable garbage is gone. */
export function settledRss(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().rss;
}

/** The resident set of this process's children right now (the index-building process), from /proc; 0 where there is none. */
export function childrenRss(): number {
  let total = 0;
  let tasks: string[] = [];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return 0;
  }
  for (const task of tasks) {
    let children: string[] = [];
    try {
      children = readFileSync(`/proc/self/task/${task}/children`, 'utf8').split(/\s+/).filter(Boolean);
    } catch {
      continue;
    }
    for (const pid of children) {
      try {
        const kilobytes = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
        total += Number(kilobytes ?? 0) * 1024;
      } catch {
        // The child ended between the listing and the read.
      }
    }
  }
  return total;
}
