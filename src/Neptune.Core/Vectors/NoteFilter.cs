namespace Neptune.Core.Vectors;

/// <summary>Which slots a scan scores: never free ones (note 0); the caller's filter is asked once per run of one note's slots, which usually sit together.</summary>
internal struct NoteFilter(Func<long, bool>? accept)
{
    private long _last;
    private bool _lastAccepted;

    public bool Accepts(long note)
    {
        if (note == 0)
        {
            return false;
        }

        if (accept is null)
        {
            return true;
        }

        if (note != _last)
        {
            _last = note;
            _lastAccepted = accept(note);
        }

        return _lastAccepted;
    }
}
