namespace SleepScoring.Onnx;

/// <summary>ONNX tensor element types (values of <c>TensorProto.DataType</c>).</summary>
public enum TensorElementType
{
    Undefined = 0,
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Double = 11,
    UInt32 = 12,
    UInt64 = 13,
    Complex64 = 14,
    Complex128 = 15,
    BFloat16 = 16,
}

/// <summary>Facts about element types that the integer-only checks rely on.</summary>
public static class TensorElementTypes
{
    /// <summary>True for the integer and boolean types: no floating point involved.</summary>
    public static bool IsInteger(TensorElementType type) => type is
        TensorElementType.UInt8 or TensorElementType.Int8 or TensorElementType.UInt16 or
        TensorElementType.Int16 or TensorElementType.Int32 or TensorElementType.Int64 or
        TensorElementType.UInt32 or TensorElementType.UInt64 or TensorElementType.Bool;

    /// <summary>The element type of a CLR type, for initializers.</summary>
    public static TensorElementType Of<T>()
        where T : unmanaged => typeof(T) switch
        {
            Type t when t == typeof(float) => TensorElementType.Float,
            Type t when t == typeof(double) => TensorElementType.Double,
            Type t when t == typeof(byte) => TensorElementType.UInt8,
            Type t when t == typeof(sbyte) => TensorElementType.Int8,
            Type t when t == typeof(ushort) => TensorElementType.UInt16,
            Type t when t == typeof(short) => TensorElementType.Int16,
            Type t when t == typeof(int) => TensorElementType.Int32,
            Type t when t == typeof(long) => TensorElementType.Int64,
            Type t when t == typeof(uint) => TensorElementType.UInt32,
            Type t when t == typeof(ulong) => TensorElementType.UInt64,
            Type t when t == typeof(bool) => TensorElementType.Bool,
            _ => throw new NotSupportedException($"No ONNX element type for {typeof(T).Name}."),
        };
}
