import { AppendNotifier } from './subscription';

describe('AppendNotifier', () => {
  it('does not sleep past an append that happened between a read and the wait', async () => {
    const notifier = new AppendNotifier();
    const seen = notifier.currentVersion;
    notifier.notify(); // an append lands after the subscriber's empty read
    const outcome = await Promise.race([
      notifier.wait(10_000, undefined, seen).then(() => 'woke'),
      new Promise((r) => setTimeout(() => r('slept'), 200)),
    ]);
    expect(outcome).toBe('woke');
  });

  it('waits for the next notify when nothing happened since the read', async () => {
    const notifier = new AppendNotifier();
    const seen = notifier.currentVersion;
    let woke = false;
    const waiting = notifier.wait(10_000, undefined, seen).then(() => (woke = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(woke).toBe(false);
    notifier.notify();
    await waiting;
    expect(woke).toBe(true);
  });
});
