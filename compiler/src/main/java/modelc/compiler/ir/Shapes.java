package modelc.compiler.ir;

import java.util.ArrayList;
import java.util.List;
import modelc.compiler.diag.CompileException;
import modelc.compiler.diag.Span;

/** Shape rules shared by several ops. */
final class Shapes {
    private Shapes() {}

    static CompileException error(Span span, String message) {
        return new CompileException(span, message);
    }

    /** NumPy broadcasting: align from the right; equal dims, or 1 on either side. */
    static TensorType broadcast(TensorType a, TensorType b, Span span, String what) {
        int rank = Math.max(a.rank(), b.rank());
        List<Dim> out = new ArrayList<>();
        for (int i = rank - 1; i >= 0; i--) {
            int ia = i - (rank - a.rank()), ib = i - (rank - b.rank());
            Dim da = ia >= 0 ? a.dims().get(ia) : null;
            Dim db = ib >= 0 ? b.dims().get(ib) : null;
            Dim d;
            if (da == null) d = db;
            else if (db == null) d = da;
            else if (da.equals(db)) d = da;
            else if (da.equals(Dim.of(1))) d = db;
            else if (db.equals(Dim.of(1))) d = da;
            else {
                throw error(span, "cannot " + what + " shapes " + a.kerasShape() + " and " + b.kerasShape()
                        + ": axis " + (i - rank) + " has " + da + " vs " + db);
            }
            out.add(0, d);
        }
        ElemType e = a.elem() == ElemType.FLOAT || b.elem() == ElemType.FLOAT ? ElemType.FLOAT : ElemType.INT;
        return new TensorType(e, out);
    }
}
