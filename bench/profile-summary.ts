import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Top self-time functions of each .cpuprofile in `dir`, to name the bottleneck without opening DevTools. */
export function summarizeProfiles(dir: string, top = 12): string[] {
  const out: string[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort()) {
    const p = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    let total = 0;
    p.samples.forEach((id, i) => {
      const f = byId.get(id)?.callFrame;
      const dt = p.timeDeltas[i] ?? 0;
      total += dt;
      if (!f) return;
      const where = f.url ? ` ${f.url.split('/').pop() ?? ''}:${f.lineNumber + 1}` : '';
      const key = `${f.functionName || '(anonymous)'}${where}`;
      self.set(key, (self.get(key) ?? 0) + dt);
    });
    out.push(`${file}: ${(total / 1000).toFixed(0)} ms sampled, top self time:`);
    for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      out.push(
        `  ${((100 * v) / total).toFixed(1).padStart(5)}%  ${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`,
      );
    }
  }
  return out;
}
