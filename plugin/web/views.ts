import path from 'node:path';
import ejs from 'ejs';

/** views/ beside plugin/ (and beside dist/plugin/ after the build copies it). */
export const VIEWS_DIR = path.resolve(__dirname, '..', '..', 'views');

/** Render a template of views/ with ejs (escaped output), independent of the host app's view settings. */
export function renderView(view: string, data: Record<string, unknown>): Promise<string> {
  return ejs.renderFile(path.join(VIEWS_DIR, view), data, { root: VIEWS_DIR });
}
