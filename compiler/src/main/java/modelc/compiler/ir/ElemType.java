package modelc.compiler.ir;

/** Element type of an IR value. FLOAT becomes float or double in generated code, by the chosen dtype. */
public enum ElemType {
    FLOAT, INT;

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
