namespace NetBoard.Firmware.Text
{
    /// <summary>What <see cref="JsonReader.Read"/> found next.</summary>
    public enum JsonToken
    {
        /// <summary>Nothing read yet.</summary>
        None,

        /// <summary>"{": an object begins.</summary>
        StartObject,

        /// <summary>"}": the innermost object ends.</summary>
        EndObject,

        /// <summary>"[": an array begins.</summary>
        StartArray,

        /// <summary>"]": the innermost array ends.</summary>
        EndArray,

        /// <summary>A member name; its value is the next token.</summary>
        PropertyName,

        /// <summary>A string value.</summary>
        String,

        /// <summary>A number value (RFC 8259 section 6 syntax).</summary>
        Number,

        /// <summary>The literal true.</summary>
        True,

        /// <summary>The literal false.</summary>
        False,

        /// <summary>The literal null.</summary>
        Null,

        /// <summary>The document ended after exactly one value; every later read returns this again.</summary>
        EndOfDocument,

        /// <summary>The text is not JSON (see <see cref="JsonReader.Error"/>); every later read returns this again.</summary>
        Error,
    }
}
