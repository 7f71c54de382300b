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
