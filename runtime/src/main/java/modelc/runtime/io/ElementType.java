package modelc.runtime.io;

import modelc.runtime.DType;

/**
 * An element type as stored in a file, with the {@link DType} it is read as: the five native dtypes
 * unchanged, narrower integers widened to I32 (U32 to I64), and half floats widened to F32.
 * The constant names are the safetensors dtype names.
 */
enum ElementType {
    BOOL(1, DType.U8), U8(1, DType.U8), I8(1, DType.I32), I16(2, DType.I32), U16(2, DType.I32),
    I32(4, DType.I32), U32(4, DType.I64), I64(8, DType.I64), F16(2, DType.F32), BF16(2, DType.F32),
    F32(4, DType.F32), F64(8, DType.F64);

    /** Bytes per element in the file. */
    final int size;
    /** The dtype of the tensor it is read into. */
    final DType dtype;

    ElementType(int size, DType dtype) {
        this.size = size;
        this.dtype = dtype;
    }
}
