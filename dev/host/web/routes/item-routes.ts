import express, { type Router } from 'express';
import { accountIdOf, type RouteDeps } from '../route-support';
import { itemRow } from '../view-models';

/** Products and services, read-only: they come from the seed and, later, the plugin's product list import. */
export function itemRoutes(deps: RouteDeps): Router {
  const router = express.Router();
  router.get('/items', async (req, res) => {
    const items = await deps.models.items.list(accountIdOf(req));
    res.render('items/index', { title: 'Products and services', items: items.map(itemRow) });
  });
  return router;
}
