/**
 * npm run sandbox:reset [-- path]: forgets the QBO sandbox's saved companies, data and connections
 * (.data/qbo-sandbox.json unless a path is given). The next `npm start` seeds fresh companies with new
 * realm ids; Work's connection to the old realm then stops working and must be made again.
 */
import { DEFAULT_STATE_FILE, removeState } from './store/state-file';

const file = process.argv[2] ?? DEFAULT_STATE_FILE;
process.stdout.write(removeState(file) ? `Removed the QBO sandbox state ${file}.\n` : `No QBO sandbox state at ${file}; nothing to reset.\n`);
