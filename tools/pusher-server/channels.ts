// Who is subscribed to which channel, and the members of presence channels (one member per
// user_id however many sockets that user has open).
export interface Subscriber {
  readonly socketId: string;
  send(message: string): void;
}

interface Member {
  info: unknown;
  sockets: number;
}

interface ChannelState {
  /** Each subscriber with its presence user_id (null on public and private channels). */
  subscribers: Map<Subscriber, string | null>;
  members: Map<string, Member>;
}

export interface PresenceData {
  ids: string[];
  hash: Record<string, unknown>;
  count: number;
}

const CHANNEL_NAME = /^[A-Za-z0-9_\-=@,.;]{1,200}$/;

export function isValidChannelName(name: unknown): name is string {
  return typeof name === "string" && CHANNEL_NAME.test(name);
}

export const isPresence = (channel: string) => channel.startsWith("presence-");
export const isPrivate = (channel: string) => channel.startsWith("private-");

export class ChannelRegistry {
  private readonly channels = new Map<string, ChannelState>();

  /**
   * Adds a subscriber (a presence member when `member` is given). Returns true when this made a new
   * presence member, i.e. the others should get member_added.
   */
  subscribe(channel: string, sub: Subscriber, member?: { userId: string; info: unknown }): boolean {
    let state = this.channels.get(channel);
    if (!state) {
      state = { subscribers: new Map(), members: new Map() };
      this.channels.set(channel, state);
    }
    if (state.subscribers.has(sub)) return false;
    state.subscribers.set(sub, member?.userId ?? null);
    if (!member) return false;
    const existing = state.members.get(member.userId);
    if (existing) {
      existing.sockets++;
      return false;
    }
    state.members.set(member.userId, { info: member.info, sockets: 1 });
    return true;
  }

  /** Removes a subscriber. Returns the user_id whose last socket just left (member_removed), else null. */
  unsubscribe(channel: string, sub: Subscriber): string | null {
    const state = this.channels.get(channel);
    if (!state?.subscribers.has(sub)) return null;
    const userId = state.subscribers.get(sub) ?? null;
    state.subscribers.delete(sub);
    let gone: string | null = null;
    if (userId !== null) {
      const member = state.members.get(userId);
      if (member && --member.sockets === 0) {
        state.members.delete(userId);
        gone = userId;
      }
    }
    if (state.subscribers.size === 0) this.channels.delete(channel);
    return gone;
  }

  isSubscribed(channel: string, sub: Subscriber): boolean {
    return this.channels.get(channel)?.subscribers.has(sub) ?? false;
  }

  subscribers(channel: string): Subscriber[] {
    return [...(this.channels.get(channel)?.subscribers.keys() ?? [])];
  }

  presence(channel: string): PresenceData {
    const members = this.channels.get(channel)?.members ?? new Map<string, Member>();
    const hash: Record<string, unknown> = {};
    for (const [id, m] of members) hash[id] = m.info;
    return { ids: [...members.keys()], hash, count: members.size };
  }

  memberCount(channel: string): number {
    return this.channels.get(channel)?.members.size ?? 0;
  }

  subscriptionCount(channel: string): number {
    return this.channels.get(channel)?.subscribers.size ?? 0;
  }

  clear(): void {
    this.channels.clear();
  }
}
