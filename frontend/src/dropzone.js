// A drop zone: a <label> around a file input (clicking opens the chooser), files dropped on it set the input.
// After a refused file the zone is emptied, so the picture shown is always the file that will be sent.

export function wireDrop(zone, input, onFile) {
  zone.addEventListener('dragover', (event) => { event.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    if (event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      onFile(input.files[0]);
    }
  });
  input.addEventListener('change', () => onFile(input.files[0]));
}

export function showChosen(img, file) {
  if (img.src.startsWith('blob:')) URL.revokeObjectURL(img.src);
  img.src = URL.createObjectURL(file);
  img.hidden = false;
  img.closest('.drop').classList.add('chosen');
}

export function clearChosen(img, input) {
  if (img.src.startsWith('blob:')) URL.revokeObjectURL(img.src);
  img.removeAttribute('src');
  img.hidden = true;
  img.closest('.drop').classList.remove('chosen');
  input.value = ''; // choosing the same file again after fixing it fires `change` again
}
