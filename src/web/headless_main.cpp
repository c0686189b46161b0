// Headless WASM module (no window, no GL) exposing the same Embind API as the app, for contract tests under
// node. The JS side drives it by calling tick() while it waits on a job.
int main() { return 0; }
