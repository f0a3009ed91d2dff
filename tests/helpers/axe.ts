// axe-core injected into a page: the serious and critical violations, one readable line each.
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";

const AXE = fs.readFileSync(path.resolve(import.meta.dirname, "../../node_modules/axe-core/axe.min.js"), "utf8");

type Violation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

/** Injects axe once per loaded document, so a page can be checked again (e.g. in the other colour scheme). */
export async function seriousViolations(page: Page): Promise<string[]> {
  // biome-ignore lint/suspicious/noExplicitAny: axe is injected as a global script
  if (!(await page.evaluate(() => "axe" in (window as any)))) await page.addScriptTag({ content: AXE });
  const found = (await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected as a global script
    const result = await (window as any).axe.run(document, { resultTypes: ["violations"] });
    return result.violations;
  })) as Violation[];
  return found
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(" "))
          .join(", ")}`,
    );
}
