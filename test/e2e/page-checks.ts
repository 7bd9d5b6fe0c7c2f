import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { expectReadable, screenshot } from './e2e-stack';

/** Shared by the e2e suites of the plugin's pages: screenshots at both widths and axe-core's verdict. */

const AXE_PATH = require.resolve('axe-core/axe.min.js');
export const WIDTHS = [1280, 390] as const;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core run in the page itself; the serious and critical violations, readable in a failure message. */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE_PATH });
  const { violations, rulesPassed } = await page.evaluate<{ violations: AxeViolation[]; rulesPassed: number }>(
    'axe.run(document).then((r) => ({ violations: r.violations, rulesPassed: r.passes.length }))',
  );
  expect(rulesPassed, 'axe-core ran its rules on the page').to.be.above(10);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** At each width: fits the window, no template leftovers, a screenshot, and no serious accessibility problem. */
export async function checkPage(page: Page, name: string): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await expectReadable(page);
    await screenshot(page, `plugin-${name}-${width}`);
    expect(await seriousViolations(page), `${name} at ${width} px`).to.deep.equal([]);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Click a button and wait for the page it loads. */
export async function submit(page: Page, button: string): Promise<void> {
  const loaded = page.waitForEvent('load');
  await page.getByRole('button', { name: button, exact: true }).click();
  await loaded;
}
