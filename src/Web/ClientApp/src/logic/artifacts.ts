import type { Artifact } from '../types';

/** Fetches a record as it is now; resolves null when the caller may not see it (404), rejects on anything transient. */
export type FetchArtifact = (artifactId: string) => Promise<Artifact | null>;

interface Entry {
  /** Bumped by every fetch, so that an answer overtaken by a newer fetch is dropped. */
  generation: number;
  current: Artifact | null;
  /** The server said 404: the cards keep showing what was sent. */
  gone: boolean;
  /** The last fetch failed for a transient reason: the next card to show it tries again. */
  failed: boolean;
}

/**
 * The current state of the records that cards refer to, fetched once per record and kept in memory
 * for the session (never in storage: it is patient data). A push that a record changed, or a
 * reconnect after which pushes may have been missed, fetches the shown ones again.
 */
export class ArtifactStore {
  private readonly entries = new Map<string, Entry>();
  private readonly watchers = new Map<string, Set<() => void>>();

  constructor(private readonly fetchCurrent: FetchArtifact) {}

  /** The record as it is now, or null while unknown (the card shows the snapshot meanwhile). */
  current(artifactId: string): Artifact | null {
    return this.entries.get(artifactId)?.current ?? null;
  }

  /** Whether the record can no longer be seen (404). */
  isGone(artifactId: string): boolean {
    return this.entries.get(artifactId)?.gone ?? false;
  }

  /** Calls back whenever what is known of the record changes; fetches it if nothing is known yet. */
  watch(artifactId: string, onChange: () => void): () => void {
    let set = this.watchers.get(artifactId);
    if (!set) {
      set = new Set();
      this.watchers.set(artifactId, set);
    }
    set.add(onChange);
    const entry = this.entries.get(artifactId);
    if (!entry || entry.failed) {
      this.fetch(artifactId);
    }
    return () => {
      set.delete(onChange);
      if (set.size === 0) {
        this.watchers.delete(artifactId);
      }
    };
  }

  /** Takes records fetched by another route (the palette's list) as current, unless a newer version is known. */
  prime(artifact: Artifact): void {
    const entry = this.entries.get(artifact.id);
    if (entry?.current && entry.current.version >= artifact.version) {
      return;
    }
    this.entries.set(artifact.id, { generation: entry?.generation ?? 0, current: artifact, gone: false, failed: false });
    this.notify(artifact.id);
  }

  /** The hub says the record is now at `version`: refetch it if a card shows it, else forget it so the next card fetches. */
  updated(artifactId: string, version: number): void {
    const entry = this.entries.get(artifactId);
    if (!entry || (entry.current && entry.current.version >= version)) {
      return;
    }
    if (this.watchers.has(artifactId)) {
      this.fetch(artifactId);
    } else {
      this.entries.delete(artifactId);
    }
  }

  /** After a (re)connect pushes may have been missed: refetch what is shown, forget the rest. */
  refreshAll(): void {
    for (const artifactId of [...this.entries.keys()]) {
      if (this.watchers.has(artifactId)) {
        this.fetch(artifactId);
      } else {
        this.entries.delete(artifactId);
      }
    }
  }

  private fetch(artifactId: string): void {
    const previous = this.entries.get(artifactId);
    const generation = (previous?.generation ?? 0) + 1;
    // What was current stays shown until the new answer arrives.
    this.entries.set(artifactId, { generation, current: previous?.current ?? null, gone: previous?.gone ?? false, failed: false });
    const settle = (change: Partial<Entry>) => {
      const entry = this.entries.get(artifactId);
      if (entry?.generation === generation) {
        this.entries.set(artifactId, { ...entry, ...change });
        this.notify(artifactId);
      }
    };
    this.fetchCurrent(artifactId).then(
      (current) => {
        // Versions only grow: an answer older than what is known (primed meanwhile) changes nothing.
        const known = this.entries.get(artifactId)?.current;
        settle(!current ? { current: null, gone: true } : known && known.version > current.version ? {} : { current, gone: false });
      },
      () => settle({ failed: true }),
    );
  }

  private notify(artifactId: string): void {
    this.watchers.get(artifactId)?.forEach((onChange) => onChange());
  }
}
