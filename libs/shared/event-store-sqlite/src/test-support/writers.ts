import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { WriterCommand, WriterReply } from './writer-process';

const repoRoot = resolve(__dirname, '../../../../..');

/** Parent side of writer-process.ts: one reply per command, in order. */
export class WriterProcess {
  private readonly pending: ((line: string) => void)[] = [];
  private readonly ready: Promise<void>;

  private constructor(private readonly child: ChildProcessByStdio<Writable, Readable, null>) {
    let onReady!: () => void;
    this.ready = new Promise<void>((res) => (onReady = res));
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (line === 'ready') return onReady();
      this.pending.shift()?.(line);
    });
  }

  static async start(filename: string): Promise<WriterProcess> {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'writer-process.ts'), filename], {
      cwd: repoRoot,
      env: { ...process.env, SWC_NODE_PROJECT: join(repoRoot, 'tsconfig.base.json') },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const writer = new WriterProcess(child);
    await Promise.race([
      writer.ready,
      new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`writer process exited early (${code})`)))),
    ]);
    return writer;
  }

  send(command: WriterCommand): Promise<WriterReply> {
    return new Promise((res) => {
      this.pending.push((line) => res(JSON.parse(line) as WriterReply));
      this.child.stdin.write(`${JSON.stringify(command)}\n`);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((res) => this.child.once('exit', res));
    this.child.stdin.write(`${JSON.stringify({ op: 'exit' })}\n`);
    await exited;
  }
}
