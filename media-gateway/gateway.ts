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
        this.answer(env, session, async (s) => {
          await s.hangup(cmd.reason ?? `${cmd.by} hung up`, cmd.by);
          return { status: "ended" };
        });
        return;
      case "agent.connect":
        this.answer(env, session, (s) => s.connectAgent(cmd));
        return;
      case "call.hold":
        this.answer(env, session, (s) => s.hold());
        return;
      case "call.resume":
        this.answer(env, session, (s) => s.resume());
        return;
      default:
        this.deps.log.info({ type: cmd.type, callId: cmd.callId }, "command not handled yet");
    }
  }

  /** Runs a command against the call and replies to the requester (if it asked for a reply). */
  private answer(env: Envelope, session: CallSession | undefined, fn: (s: CallSession) => Promise<unknown>) {
    const work = session ? fn(session) : Promise.reject(new Error("This gateway no longer holds the call; it has ended"));
    work.then(
      (result) => this.agent.reply(env, { ok: true, result }),
      (err: Error) => {
        this.deps.log.warn({ callId: env.command.callId, type: env.command.type, err: err.message }, "call command failed");
        return this.agent.reply(env, { ok: false, error: err.message });
      },
    ).catch((err) => this.deps.log.error({ err }, "replying to a call command failed"));
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
