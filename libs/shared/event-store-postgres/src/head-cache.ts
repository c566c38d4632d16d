export interface StreamHead {
  revision: number;
  hash: string;
}

/**
 * Last known head (revision, hash) of recently used streams, so an append to a stream this process
 * just read or wrote can skip the read round trip. It is only ever a guess: append_group_v4 checks
 * the guess under the stream locks and writes nothing when it is stale, and then the append is
 * decided again from a fresh read. Errors are never decided from it (see runGroup). Bounded LRU.
 */
export class HeadCache {
  private readonly heads = new Map<string, StreamHead>();

  constructor(private readonly capacity = 10_000) {}

  get(streamId: string): StreamHead | undefined {
    const head = this.heads.get(streamId);
    if (head) {
      this.heads.delete(streamId);
      this.heads.set(streamId, head);
    }
    return head;
  }

  set(streamId: string, head: StreamHead): void {
    this.heads.delete(streamId);
    this.heads.set(streamId, head);
    if (this.heads.size > this.capacity) this.heads.delete(this.heads.keys().next().value as string);
  }

  delete(streamId: string): void {
    this.heads.delete(streamId);
  }
}
