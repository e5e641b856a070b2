/** Child-process entry of `npm run bench`: one measurement at one thread count, its result sent back. */
import { measureFaces, type FaceRequest } from './faces.ts';
import { measure, type MeasureRequest } from './measure.ts';

/** onnxruntime-web fixes its WASM thread count when it first starts, hence a process per request. */
export type WorkerRequest = ({ task: 'detector' } & MeasureRequest) | ({ task: 'faces' } & FaceRequest);

const request = JSON.parse(process.argv[2] ?? '') as WorkerRequest;
process.send!(request.task === 'faces' ? await measureFaces(request) : await measure(request));
