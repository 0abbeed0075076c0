package modelc.runtime;

/** Element types of tensors that cross the runtime's boundary (files, datasets, weights). */
public enum DType {
    F32(4, "F32"), F64(8, "F64"), I32(4, "I32"), I64(8, "I64"), U8(1, "U8");

    /** Bytes per element. */
    public final int size;
    /** The dtype's name in safetensors headers. */
    public final String safetensorsName;

    DType(int size, String safetensorsName) {
        this.size = size;
        this.safetensorsName = safetensorsName;
    }

    public boolean isFloat() {
        return this == F32 || this == F64;
    }

    public static DType fromSafetensors(String name) {
        for (DType t : values()) if (t.safetensorsName.equals(name)) return t;
        throw new IllegalArgumentException("unsupported dtype " + name);
    }
}
