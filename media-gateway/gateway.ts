// The gateway process's core: takes commands from its Redis inbox and owns the call sessions.
import type { Logger } from "pino";
import type { Config } from "../lib/config";
import type { GatewayAgent } from "../lib/gateway/agent";
import type { Envelope } from "../lib/gateway/messages";
import type { GraphClient } from "../lib/whatsapp/graph-client";
import { CallSession } from "./call/session";
import type { MediaClock } from "./media/clock";

export class MediaGateway {
  readonly sessions = new Map<string, CallSession>();
  private stopping = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly agent: GatewayAgent,
    private readonly deps: { config: Config; clock: MediaClock; log: Logger; graph: (accountId: string) => Promise<GraphClient> },
  ) {}

  get id() {
    return this.agent.info.id;
  }

  start() {
    this.loop = (async () => {
      while (!this.stopping) {
        try {
          const env = await this.agent.next(1);
          if (env) this.handle(env);
        } catch (err) {
          if (!this.stopping) this.deps.log.error({ err }, "reading the gateway inbox failed");
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    })();
  }

  private updateLoad() {
    this.agent.setLoad(this.sessions.size);
  }

  handle(env: Envelope) {
    const cmd = env.command;
    const session = this.sessions.get(cmd.callId);
    switch (cmd.type) {
      case "call.assign": {
        if (session || this.stopping) return;
        const s = new CallSession(cmd, {
          gatewayId: this.id,
          ...this.deps,
          onClosed: (callId) => {
            this.sessions.delete(callId);
            this.updateLoad();
            void this.agent.releaseCall(callId).catch(() => {});
          },
        });
        this.sessions.set(cmd.callId, s);
        this.updateLoad();
        void s.start();
        return;
      }
      case "call.terminated":
        void session?.callerHungUp();
        return;
      case "call.hangup":
        void session?.hangup(`${cmd.by} hung up`, cmd.by);
        return;
      default:
        this.deps.log.info({ type: cmd.type, callId: cmd.callId }, "command not handled yet");
    }
  }

  /** Stops taking calls, lets active ones finish within the grace period, then ends the rest. */
  async shutdown(graceMs: number): Promise<void> {
    this.stopping = true;
    this.agent.info = { ...this.agent.info, draining: true };
    await this.agent.heartbeat().catch(() => {});
    const deadline = Date.now() + graceMs;
    while (this.sessions.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    await Promise.all([...this.sessions.values()].map((s) => s.hangup("gateway_shutdown", "system")));
    await this.loop;
    await this.agent.close();
  }
}
