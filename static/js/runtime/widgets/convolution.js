export function mount(node) { node.textContent = 'todo'; return {}; }
