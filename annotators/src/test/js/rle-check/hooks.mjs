// coco-maskapi imports its own files without the .js extension, which Node's ESM resolver
// refuses; retry a relative specifier with .js added.
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (e) {
    if (e.code === 'ERR_MODULE_NOT_FOUND' && specifier.startsWith('.')) {
      return next(specifier + '.js', context);
    }
    throw e;
  }
}
