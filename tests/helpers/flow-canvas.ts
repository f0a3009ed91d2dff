// Reading and wiring the flow editor's canvas (@xyflow/react) from a browser test.
import type { Page } from "playwright-core";

export const canvasNode = (page: Page, label: string) => page.locator(".react-flow__node", { hasText: label }).first();
export const nodeCount = (page: Page) => page.locator(".react-flow__node").count();
export const edgeCount = (page: Page) => page.locator(".react-flow__edge").count();

/** Drags from `fromLabel`'s output `handle` to `toLabel`'s input, as a user connects two nodes. */
export async function connect(page: Page, fromLabel: string, handle: string, toLabel: string) {
  const a = (await canvasNode(page, fromLabel).locator(`.react-flow__handle[data-handleid="${handle}"]`).boundingBox())!;
  const b = (await canvasNode(page, toLabel).locator(".react-flow__handle.target").boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
  await page.mouse.up();
}
