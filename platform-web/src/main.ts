import './styles.css';
import { LatchkeyApi } from './api/latchkey';
import { App } from './app';

const root = document.getElementById('app');
if (!root) {
  throw new Error('index.html must contain an element with id "app"');
}
void new App(root, new LatchkeyApi()).start();
