/** Child-process entry of `npm run bench`: measures one (model, threads) pair and sends the result back. */
import { measure, type MeasureRequest } from './measure.ts';

const request = JSON.parse(process.argv[2] ?? '') as MeasureRequest;
process.send!(await measure(request));
