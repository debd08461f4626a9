/**
 * Preloaded (`node --import`) into a benchmarked server: from SIGUSR2 on, records every garbage collection the
 * process makes (kind, pause) and how much the old generation grew across each scavenge (what the scavenge
 * promoted, plus what was allocated there directly); on SIGTERM writes the totals as JSON to
 * `FG_BENCH_GC_STATS`. A p99 at 1,000 requests/s rests on about 80 slow requests of 8,000, and a scavenge that
 * pauses the process delays every request in flight: these figures show the tail's own cause apart from the
 * machine's (docs/production.md, "Memory and GC").
 */
import { writeFileSync } from 'node:fs';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';

export interface GcStats {
  readonly scavenges: number;
  readonly scavenge_pause_ms_mean: number;
  readonly scavenge_pause_ms_max: number;
  readonly old_growth_kb_per_scavenge: number;
  readonly full_gcs: number;
}

const out = process.env.FG_BENCH_GC_STATS;
if (out) {
  const oldUsed = () => getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')?.space_used_size ?? 0;
  const scavenges: { pause: number; grew: number }[] = [];
  let full = 0;
  let recording = false;
  let lastOld = 0;
  new PerformanceObserver((list) => {
    if (!recording) return;
    for (const e of list.getEntries()) {
      const now = oldUsed();
      const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges.push({ pause: e.duration, grew: now - lastOld });
      else full++;
      lastOld = now;
    }
  }).observe({ entryTypes: ['gc'] });
  process.on('SIGUSR2', () => {
    recording = true;
    lastOld = oldUsed();
  });
  // Registered before the server's own handler (this module is preloaded), so it runs before that one exits.
  process.on('SIGTERM', () => {
    const n = scavenges.length;
    const mean = (f: (s: { pause: number; grew: number }) => number) => (n ? scavenges.reduce((a, s) => a + f(s), 0) / n : 0);
    const stats: GcStats = {
      scavenges: n,
      scavenge_pause_ms_mean: Number(mean((s) => s.pause).toFixed(2)),
      scavenge_pause_ms_max: Number(Math.max(0, ...scavenges.map((s) => s.pause)).toFixed(2)),
      old_growth_kb_per_scavenge: Math.round(mean((s) => s.grew) / 1024),
      full_gcs: full,
    };
    writeFileSync(out, JSON.stringify(stats));
  });
}
