// What a gateway process exports to Prometheus: calls and bridges now, UDP ports against the range,
// call setup time (webhook received → accept confirmed by WhatsApp), the media clock's send interval,
// RTP packets received and lost from callers, and DTMF digits read.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export interface GatewayState {
  activeCalls(): number;
  bridgedCalls(): number;
  capacity(): number;
  ports(): { inUse: number; size: number } | null;
}

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly setupSeconds: Histogram;
  readonly sendIntervalMs: Histogram;
  readonly rtpReceived: Counter;
  readonly rtpLost: Counter;
  readonly dtmfDigits: Counter;
  readonly callsEnded: Counter<"disconnected_by">;

  constructor(gatewayId: string, state: GatewayState) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ gateway: gatewayId });
    collectDefaultMetrics({ register: this.registry, prefix: "ringflow_gateway_" });
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read());
        },
      });
    gauge("ringflow_gateway_active_calls", "Calls this gateway process holds now", state.activeCalls);
    gauge("ringflow_gateway_bridged_calls", "Calls bridged to an agent now", state.bridgedCalls);
    gauge("ringflow_gateway_capacity_calls", "Calls this process takes before the web tier picks another", state.capacity);
    gauge("ringflow_gateway_udp_ports_in_use", "UDP ports held by call peers", () => state.ports()?.inUse ?? 0);
    gauge("ringflow_gateway_udp_ports", "UDP ports in this process's range", () => state.ports()?.size ?? 0);
    this.setupSeconds = new Histogram({
      name: "ringflow_gateway_call_setup_seconds",
      help: "From the webhook announcing a call to WhatsApp confirming our accept",
      buckets: [0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 20],
      registers,
    });
    this.sendIntervalMs = new Histogram({
      name: "ringflow_gateway_send_interval_ms",
      help: "Time between two ticks of the 20 ms media clock that paces every outgoing packet",
      buckets: [15, 18, 19, 19.5, 20, 20.5, 21, 22, 25, 30, 40, 60, 100],
      registers,
    });
    this.rtpReceived = new Counter({ name: "ringflow_gateway_rtp_packets_received_total", help: "RTP packets received from callers", registers });
    this.rtpLost = new Counter({
      name: "ringflow_gateway_rtp_packets_lost_total",
      help: "RTP packets from callers that never arrived (sequence gaps)",
      registers,
    });
    this.dtmfDigits = new Counter({ name: "ringflow_gateway_dtmf_digits_total", help: "DTMF digits read from callers (RFC 4733)", registers });
    this.callsEnded = new Counter({
      name: "ringflow_gateway_calls_ended_total",
      help: "Calls ended, by who ended them",
      labelNames: ["disconnected_by"],
      registers,
    });
  }
}
