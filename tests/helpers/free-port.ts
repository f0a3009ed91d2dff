// A TCP port on loopback that nothing listens on right now (for servers a test or bench starts), and
// the UDP ports of a range that something holds (a peer that should have given its port back).
import dgram from "node:dgram";
import net from "node:net";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Ports in [min, max] that something on this machine holds: a wildcard bind fails on them. */
export async function heldUdpPorts(min: number, max: number): Promise<number[]> {
  const held: number[] = [];
  for (let port = min; port <= max; port++) {
    const socket = dgram.createSocket("udp4");
    const taken = await new Promise<boolean>((resolve) => {
      socket.once("error", () => resolve(true));
      socket.bind(port, "0.0.0.0", () => resolve(false));
    });
    await new Promise<void>((r) => socket.close(() => r()));
    if (taken) held.push(port);
  }
  return held;
}
