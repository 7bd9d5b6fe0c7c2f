import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import type { PluginPage } from '../../plugin/host/work-host';
import { PageRenderer } from '../../plugin/web/page-renderer';

/** The plugin's pages in the host's layout when the host offers one, in the plugin's own minimal layout otherwise. */
describe('plugin page layout (WorkHost.renderPage or the fallback)', () => {
  function appWith(renderer: PageRenderer): express.Express {
    const app = express();
    const router = express.Router();
    router.get('/page', (req, res, next) => {
      const data = { page: { title: 'Products import', intro: 'x', notice: { tone: 'success', text: 'Saved <ok>' }, upload: { action: '/a', csrfToken: 't', label: 'File', hint: 'h', button: 'Go', error: null, accept: '.csv' }, preview: null } };
      renderer.send(req, res, { page: 'import', title: 'Products import', view: 'import/products.ejs', data, status: 422 }).catch(next);
    });
    app.use('/qbo', router);
    return app;
  }

  it('wraps the page in its own document (main landmark, stylesheet, title) when the host gives no layout', async () => {
    const res = await request(appWith(new PageRenderer({}))).get('/qbo/page').expect(422);
    expect(res.headers['cache-control']).to.equal('no-store');
    expect(res.text).to.match(/^<!doctype html>/);
    expect(res.text).to.contain('<title>QuickBooks Online · Products import</title>');
    expect(res.text).to.contain('<link rel="stylesheet" href="/qbo/assets/qbo.css">');
    expect(res.text).to.contain('<main id="main">');
    expect(res.text).to.contain('<nav class="qbo-nav" aria-label="QuickBooks Online pages">');
    expect(res.text).to.contain('<a href="/qbo/import/products" aria-current="page">Products import</a>');
    expect(res.text).to.contain('<div id="notice-region" role="status" aria-live="polite">');
    expect(res.text).to.contain('Saved &lt;ok&gt;');
  });

  it('hands the rendered page to the host\'s renderPage, keeping the status the plugin set', async () => {
    const pages: PluginPage[] = [];
    const renderer = new PageRenderer({
      async renderPage(_req, res, page) {
        pages.push(page);
        res.type('html').send(`<host>${page.bodyHtml}</host>`);
      },
    });
    const res = await request(appWith(renderer)).get('/qbo/page').expect(422);
    expect(res.text).to.match(/^<host><div class="qbo">/);
    expect(res.text, 'the host owns the main landmark').to.not.contain('<main');
    expect(pages.map((p) => [p.title, p.headHtml.trim()])).to.deep.equal([['QuickBooks Online · Products import', '<link rel="stylesheet" href="/qbo/assets/qbo.css">']]);
  });
});
