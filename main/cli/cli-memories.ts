import { createInterface } from 'node:readline';
import type { AppCore } from '../app/app-core.ts';
import type { WorkerScripts } from '../app/worker-url.ts';
import type { Writable } from './cli.ts';
import type { MemoriesCommand } from './cli-memories-args.ts';
import {
  ENABLE_HINT,
  filesText,
  jobsText,
  outputsText,
  providerText,
  statusText,
  utc,
} from './cli-memories-format.ts';
import { call, withCliCore } from './cli-core.ts';
import {
  ingest,
  json,
  runPipeline,
  type Cmd,
  type MemoriesRunOptions,
  type PromptInput,
} from './cli-memories-run.ts';

export type { MemoriesRunOptions, PromptInput } from './cli-memories-run.ts';

async function runSet(core: AppCore, cmd: Cmd<'set'>, out: Writable): Promise<number> {
  const view = await call(core, 'memories:updateSettings', cmd.patch);
  if (cmd.json) {
    json(out, view);
    return 0;
  }
  const lines: string[] = [];
  for (const [key, asked] of Object.entries(cmd.patch)) {
    const got = view[key as keyof typeof view];
    if (key === 'provider') lines.push(`provider = ${providerText(view.provider)}`);
    else if (key === 'enabled') lines.push(`Memories pipeline ${got ? 'enabled' : 'disabled'}.`);
    else {
      const clamped = typeof asked === 'number' && asked !== got ? ` (clamped from ${asked})` : '';
      lines.push(`${key} = ${got === null ? 'default' : String(got)}${clamped}`);
    }
  }
  if (cmd.patch.enabled === true)
    lines.push(
      `Provider: ${providerText(view.provider)}`,
      'Run it now with: npm run cli -- memories run (the desktop app also runs it every 30 min).',
    );
  out.write(`${lines.join('\n')}\n`);
  return 0;
}

/** y/N on a terminal; an empty line or end of input is no. */
async function confirm(question: string, input: PromptInput, err: Writable): Promise<boolean> {
  err.write(question);
  const rl = createInterface({ input, terminal: false });
  const answer = await new Promise<string>((done) => {
    rl.once('line', done);
    rl.once('close', () => done(''));
  });
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

async function runClear(
  core: AppCore,
  cmd: Cmd<'drop' | 'reset'>,
  out: Writable,
  err: Writable,
  opts: MemoriesRunOptions,
): Promise<number> {
  if (cmd.action === 'reset') await ingest(core); // every known thread gets its mode reset
  const s = await call(core, 'memories:status', {});
  const what =
    `every stage-1 output (${s.counts.outputs}) and memory job, and everything in ${s.memoryRoot}` +
    (cmd.action === 'reset'
      ? `; marks ${s.counts.threadsEnabled} enabled threads disabled and turns the pipeline off`
      : '');
  if (!cmd.yes) {
    const input = opts.stdin ?? process.stdin;
    if (!input.isTTY) {
      err.write(
        `threadscope: memories ${cmd.action} deletes ${what}.\nNothing was deleted: add --yes to confirm.\n`,
      );
      return 2;
    }
    if (!(await confirm(`memories ${cmd.action} deletes ${what}.\nContinue? [y/N] `, input, err))) {
      out.write('Nothing was deleted.\n');
      return 1;
    }
  }
  const r =
    cmd.action === 'reset'
      ? await call(core, 'memories:reset', {})
      : { threadsDisabled: null, ...(await call(core, 'memories:drop', {})) };
  if (cmd.json) json(out, r);
  else {
    out.write(`Deleted ${r.rows} memory rows and emptied ${s.memoryRoot}.\n`);
    if (r.threadsDisabled !== null)
      out.write(
        `${r.threadsDisabled} threads marked disabled; the pipeline is off (turn it on again with: ${ENABLE_HINT}).\n`,
      );
  }
  for (const f of r.failures) err.write(`threadscope: could not delete ${f}\n`);
  return r.failures.length > 0 ? 1 : 0;
}

async function runMode(core: AppCore, cmd: Cmd<'mode'>, out: Writable): Promise<number> {
  await ingest(core); // the thread must be in the state DB
  if (cmd.mode !== null) {
    const r = await call(core, 'memories:setThreadMode', { threadId: cmd.threadId, mode: cmd.mode });
    if (cmd.json) json(out, r);
    else out.write(`Thread ${r.threadId}: memory mode ${r.mode}.\n`);
    return 0;
  }
  const r = await call(core, 'memories:output', { threadId: cmd.threadId });
  if (cmd.json) {
    json(out, r);
    return 0;
  }
  const o = r.output;
  out.write(
    `Thread ${cmd.threadId}: memory mode ${r.mode ?? 'unknown'}.\n` +
      (o
        ? `Stage-1 output generated ${utc(o.generatedAt * 1000)}, used ${o.usageCount ?? 0} times, ` +
          `${o.selectedForPhase2 ? '' : 'not '}selected for phase 2: rollout_summaries/${o.summaryFile}\n`
        : 'No stage-1 output.\n'),
  );
  return 0;
}

/** `memories …`: the memories service of the Memories page, through the router (see cli-memories-args.ts). */
export async function runMemories(
  cmd: MemoriesCommand,
  out: Writable,
  err: Writable,
  workers: WorkerScripts | null,
  opts: MemoriesRunOptions = {},
): Promise<number> {
  return withCliCore(cmd, workers, async (core) => {
    switch (cmd.action) {
      case 'run':
        return await runPipeline(core, cmd, out, err, opts);
      case 'set':
        return await runSet(core, cmd, out);
      case 'drop':
      case 'reset':
        return await runClear(core, cmd, out, err, opts);
      case 'mode':
        return await runMode(core, cmd, out);
      case 'status': {
        await ingest(core);
        const s = await call(core, 'memories:status', {});
        if (cmd.json) json(out, s);
        else out.write(statusText(s, Date.now(), await call(core, 'memories:jobs', {})));
        return 0;
      }
      case 'jobs': {
        await ingest(core);
        const jobs = await call(core, 'memories:jobs', {});
        out.write(cmd.json ? `${JSON.stringify(jobs, null, 2)}\n` : jobsText(jobs));
        return 0;
      }
      case 'outputs': {
        await ingest(core);
        const outputs = await call(core, 'memories:outputs', { limit: cmd.limit });
        out.write(cmd.json ? `${JSON.stringify(outputs, null, 2)}\n` : outputsText(outputs));
        return 0;
      }
      case 'files': {
        const files = await call(core, 'memories:files', {});
        if (cmd.json) json(out, files);
        else out.write(filesText((await call(core, 'memories:status', {})).memoryRoot, files));
        return 0;
      }
      case 'cat': {
        const f = await call(core, 'memories:readFile', { path: cmd.path });
        if (cmd.json) json(out, f);
        else out.write(f.text);
        return 0;
      }
    }
  });
}
