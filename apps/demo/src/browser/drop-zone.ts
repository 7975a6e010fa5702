// The drop zone: drag and drop, plus click / Enter / Space to open the file picker, so it works without
// a mouse (role="button" promises exactly that keyboard behaviour).
export function wireDropZone(
  zone: HTMLElement,
  input: HTMLInputElement,
  onFiles: (files: File[]) => void,
): void {
  const setDragging = (on: boolean): void => {
    zone.classList.toggle('is-dragging', on);
  };
  zone.addEventListener('click', () => input.click());
  zone.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      input.click();
    }
  });
  zone.addEventListener('dragenter', (event) => {
    event.preventDefault();
    setDragging(true);
  });
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  });
  zone.addEventListener('dragleave', (event) => {
    if (event.target === zone) setDragging(false);
  });
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    setDragging(false);
    const files = Array.from(event.dataTransfer?.files ?? []);
    if (files.length > 0) onFiles(files);
  });
  input.addEventListener('change', () => {
    const files = Array.from(input.files ?? []);
    input.value = ''; // picking the same file again must fire `change` again
    if (files.length > 0) onFiles(files);
  });
}
