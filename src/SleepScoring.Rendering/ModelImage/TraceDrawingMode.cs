namespace SleepScoring.Rendering.ModelImage;

/// <summary>How a derivation's samples become pixels in the model image.</summary>
public enum TraceDrawingMode
{
    /// <summary>
    /// Per pixel column, a vertical run covering the rows of every sample in the column, extended
    /// to the previous column's last sample so that the trace stays connected.
    /// </summary>
    Envelope,

    /// <summary>A one-pixel polyline through every sample (anti-aliased or not, see the renderer).</summary>
    Polyline,
}
