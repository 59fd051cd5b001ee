using System;
using System.Collections;
using System.IO;
using NetBoard.Firmware.Text;
using NetBoard.Hal;

namespace NetBoard.Firmware.Mime
{
    /// <summary>
    /// Takes the printable documents out of a received e-mail or i-FAX message in one sequential pass over the stored
    /// message, in fixed chunks and line pieces, so memory does not depend on the message's size. It follows
    /// multipart bodies (and enclosed message/rfc822 parts) up to <see cref="MaxNestingDepth"/> levels, decodes every
    /// printable leaf part (TIFF, PDF, JPEG; octet-stream by file name) from base64, quoted-printable or
    /// 7bit/8bit/binary straight into storage, and commits each document when its part ends.
    /// </summary>
    public sealed class IncomingMessageReader
    {
        /// <summary>The deepest nesting of multipart and message/rfc822 parts that is followed.</summary>
        public const int MaxNestingDepth = 8;

        /// <summary>The size of each read from the message in bytes.</summary>
        public const int ChunkBytes = 512;

        /// <summary>The line buffer in bytes: longer lines are handled in pieces of this size.</summary>
        public const int LineBytes = 1024;

        /// <summary>The longest unfolded header field kept, in bytes; the rest of a longer field is dropped.</summary>
        public const int MaxFieldBytes = 1024;

        private const int KindNone = -1;
        private const int KindContent = 0;
        private const int KindEnd = 1;
        private const int KindDelimiter = 2;
        private const int KindClose = 3;

        private const int EncodingIdentity = 0;
        private const int EncodingBase64 = 1;
        private const int EncodingQuotedPrintable = 2;
        private const int EncodingUnsupported = 3;

        private const string TypeTiff = "image/tiff";
        private const string TypePdf = "application/pdf";
        private const string TypeJpeg = "image/jpeg";

        // IncomingLineReader.BreakLf is 1 and BreakCrLf is 2: the break is the last that many bytes of CRLF.
        private static readonly byte[] s_crLf = new byte[] { (byte)'\r', (byte)'\n' };

        private readonly IncomingLineReader _lines;
        private readonly IStorage _storage;
        private readonly string _namePrefix;
        private readonly byte[] _field = new byte[MaxFieldBytes];
        private readonly byte[][] _boundaries = new byte[MaxNestingDepth][];
        private readonly byte[] _output;
        private readonly MimeBase64Decoder _base64 = new MimeBase64Decoder();
        private readonly MimeQuotedPrintableDecoder _quotedPrintable = new MimeQuotedPrintableDecoder();
        private readonly ArrayList _parts = new ArrayList();
        private readonly ArrayList _skippedTypes = new ArrayList();
        private int _fieldLength;
        private int _boundaryCount;
        private int _nesting;
        private int _held = KindNone;
        private int _matchLevel;
        private string _error;
        private bool _storageFailed;
        private IStorageWriter _openWriter;
        private string _openName;

        private IncomingMessageReader(IDocumentSource message, IStorage storage, string namePrefix)
        {
            _lines = new IncomingLineReader(message, ChunkBytes, LineBytes);
            _storage = storage;
            _namePrefix = namePrefix;
            int base64Room = MimeBase64Decoder.MaxOutputLength(LineBytes);
            int quotedRoom = MimeQuotedPrintableDecoder.MaxOutputLength(LineBytes);
            _output = new byte[base64Room > quotedRoom ? base64Room : quotedRoom];
        }

        /// <summary>
        /// Reads <paramref name="message"/> once from its current position and commits each printable part as
        /// namePrefix + number + ".tif", ".pdf" or ".jpg" (numbered from 1 in message order). Nothing is silently
        /// dropped: a message without a printable part says so and lists the types it saw, and a broken message
        /// keeps the documents that ended properly and deletes the partial one. The message is not disposed.
        /// </summary>
        /// <param name="message">The stored message (RFC 5322 with MIME), as the POP3 client received it.</param>
        /// <param name="storage">Where the documents go; files are made with <see cref="IStorage.Create"/>.</param>
        /// <param name="namePrefix">The start of every document's storage name, e.g. "rx/0042-".</param>
        /// <returns>The outcome, the decoded Subject and From, the committed documents and the skipped types.</returns>
        public static IncomingMessageResult Extract(IDocumentSource message, IStorage storage, string namePrefix)
        {
            if (message == null)
            {
                throw new ArgumentNullException("message");
            }

            if (storage == null)
            {
                throw new ArgumentNullException("storage");
            }

            if (namePrefix == null)
            {
                throw new ArgumentNullException("namePrefix");
            }

            return new IncomingMessageReader(message, storage, namePrefix).Run();
        }

        private IncomingMessageResult Run()
        {
            IncomingPartHeader top = null;
            try
            {
                top = ReadHeader();
                ProcessEntity(top);
            }
            catch (IOException e)
            {
                _storageFailed = true;
                _error = "storage error: " + e.Message;
                try
                {
                    AbortOpenPart();
                }
                catch (IOException)
                {
                    // The first failure is the one to report; the caller can clear leftovers by the name prefix.
                }
            }

            IncomingMessageResult result = new IncomingMessageResult();
            result.Subject = top == null ? string.Empty : Unstructured(top.RawSubject);
            result.From = top == null ? string.Empty : Unstructured(top.RawFrom);
            result.Parts = new ReceivedPart[_parts.Count];
            _parts.CopyTo(result.Parts, 0);
            result.SkippedTypes = new string[_skippedTypes.Count];
            _skippedTypes.CopyTo(result.SkippedTypes, 0);
            if (_storageFailed)
            {
                result.Status = IncomingMessageStatus.StorageError;
                result.Error = _error;
            }
            else if (_error != null)
            {
                result.Status = IncomingMessageStatus.Malformed;
                result.Error = _error;
            }
            else if (_parts.Count == 0)
            {
                result.Status = IncomingMessageStatus.NoPrintablePart;
                result.Error = NoPrintablePartText(result.SkippedTypes);
            }
            else
            {
                result.Status = IncomingMessageStatus.Ok;
            }

            return result;
        }

        /// <summary>Handles one entity (the message or a body part) whose header has been read; returns the line kind that ended it.</summary>
        private int ProcessEntity(IncomingPartHeader header)
        {
            string type = header.ContentType;
            if (type.StartsWith("multipart/"))
            {
                return ProcessMultipart(header, type);
            }

            if (type == "message/rfc822" && EncodingKind(header.TransferEncoding) == EncodingIdentity)
            {
                // A forwarded message: its own header and body follow as this part's body.
                if (_nesting == MaxNestingDepth)
                {
                    return SkipTooDeep(type);
                }

                _nesting++;
                int kind = ProcessEntity(ReadHeader());
                _nesting--;
                return kind;
            }

            return ProcessLeaf(header, type);
        }

        private int ProcessMultipart(IncomingPartHeader header, string type)
        {
            string boundary = header.Boundary;
            if (boundary == null || boundary.Length == 0)
            {
                Fail(type + " part without a boundary");
                AddSkippedType(type);
                return SkipBody();
            }

            if (_nesting == MaxNestingDepth)
            {
                return SkipTooDeep(type);
            }

            _nesting++;
            int level = _boundaryCount;
            _boundaries[level] = Utf8.GetBytes(boundary);
            _boundaryCount++;

            // The preamble before the first delimiter is not part of any body.
            int kind = SkipBody();
            while (kind == KindDelimiter && _matchLevel == level)
            {
                kind = ProcessEntity(ReadHeader());
            }

            _boundaryCount--;
            _boundaries[level] = null;
            _nesting--;
            if (kind == KindClose && _matchLevel == level)
            {
                // The epilogue runs up to an enclosing boundary or the end.
                return SkipBody();
            }

            if (kind == KindEnd)
            {
                Fail("the message ends before the closing boundary of a " + type + " part");
            }

            // Otherwise an enclosing boundary ended this multipart early, which RFC 2046 readers accept.
            return kind;
        }

        private int ProcessLeaf(IncomingPartHeader header, string type)
        {
            string fileName = header.FileName;
            string format = PrintableFormat(type, fileName);
            if (format == null)
            {
                AddSkippedType(type);
                return SkipBody();
            }

            string encodingName = header.TransferEncoding;
            int encoding = EncodingKind(encodingName);
            if (encoding == EncodingUnsupported)
            {
                AddSkippedType(type + " (" + encodingName + ")");
                return SkipBody();
            }

            return ExtractBody(format, fileName, encoding);
        }

        /// <summary>Decodes the current part's body into a new storage file and commits it when the part ends properly.</summary>
        private int ExtractBody(string format, string fileName, int encoding)
        {
            string name = _namePrefix + (_parts.Count + 1).ToString() + Extension(format);
            _openName = name;
            _openWriter = _storage.Create(name);
            _base64.Reset();
            _quotedPrintable.Reset();
            long length = 0;

            // A line break is written only once the next line shows it is not the one before a boundary.
            int pendingBreak = IncomingLineReader.BreakNone;
            int kind;
            while (true)
            {
                kind = NextLine();
                if (kind != KindContent)
                {
                    break;
                }

                if (pendingBreak != IncomingLineReader.BreakNone)
                {
                    length += WriteLineBreak(encoding, pendingBreak);
                }

                int n = DecodeSegment(encoding);
                if (n < 0)
                {
                    AbortOpenPart();
                    Fail("bad base64 in " + Describe(format, fileName));
                    return SkipBody();
                }

                length += n;
                pendingBreak = _lines.LineBreak;
            }

            if (kind == KindEnd && _boundaryCount > 0)
            {
                AbortOpenPart();
                Fail("the message ends inside " + Describe(format, fileName) + " (missing closing boundary)");
                return kind;
            }

            if (kind == KindEnd && pendingBreak != IncomingLineReader.BreakNone)
            {
                // Without an enclosing multipart the body runs to the end, its last line break included.
                length += WriteLineBreak(encoding, pendingBreak);
            }

            int tail = 0;
            if (encoding == EncodingBase64)
            {
                tail = _base64.Finish(_output, 0);
            }
            else if (encoding == EncodingQuotedPrintable)
            {
                tail = _quotedPrintable.Finish(_output, 0);
            }

            if (tail < 0)
            {
                AbortOpenPart();
                Fail("bad base64 in " + Describe(format, fileName) + " (data ends inside a group of four)");
                return kind;
            }

            if (tail > 0)
            {
                _openWriter.Write(_output, 0, tail);
                length += tail;
            }

            IStorageWriter writer = _openWriter;
            _openWriter = null;
            _openName = null;
            writer.Commit();
            writer.Dispose();

            ReceivedPart part = new ReceivedPart();
            part.StorageName = name;
            part.ContentType = format;
            part.FileName = fileName;
            part.Length = length;
            _parts.Add(part);
            return kind;
        }

        /// <summary>Decodes the current segment into the open file; returns the bytes written or -1 on bad base64.</summary>
        private int DecodeSegment(int encoding)
        {
            int length = _lines.Length;
            if (length == 0)
            {
                return 0;
            }

            if (encoding == EncodingIdentity)
            {
                _openWriter.Write(_lines.Buffer, 0, length);
                return length;
            }

            int n = encoding == EncodingBase64
                ? _base64.Decode(_lines.Buffer, 0, length, _output, 0)
                : _quotedPrintable.Decode(_lines.Buffer, 0, length, _output, 0);
            if (n > 0)
            {
                _openWriter.Write(_output, 0, n);
            }

            return n;
        }

        private int WriteLineBreak(int encoding, int lineBreak)
        {
            if (encoding == EncodingIdentity)
            {
                _openWriter.Write(s_crLf, s_crLf.Length - lineBreak, lineBreak);
                return lineBreak;
            }

            if (encoding == EncodingQuotedPrintable)
            {
                int n = _quotedPrintable.LineBreak(_output, 0);
                _openWriter.Write(_output, 0, n);
                return n;
            }

            // Line breaks in base64 are only layout.
            return 0;
        }

        /// <summary>Reads a header block up to its empty line (or a boundary, or the end), unfolding its fields.</summary>
        private IncomingPartHeader ReadHeader()
        {
            IncomingPartHeader header = new IncomingPartHeader();
            _fieldLength = 0;
            while (true)
            {
                int kind = NextLine();
                if (kind != KindContent)
                {
                    EndField(header);

                    // A boundary inside a header ends the part early; its body is empty.
                    if (kind != KindEnd)
                    {
                        _held = kind;
                    }

                    return header;
                }

                byte[] line = _lines.Buffer;
                int length = _lines.Length;
                if (_lines.StartsLine)
                {
                    if (length == 0)
                    {
                        EndField(header);
                        return header;
                    }

                    // A line starting with whitespace continues the field; unfolding just drops the line break.
                    if (line[0] != ' ' && line[0] != '\t')
                    {
                        EndField(header);
                    }
                }

                int room = MaxFieldBytes - _fieldLength;
                int take = length < room ? length : room;
                Array.Copy(line, 0, _field, _fieldLength, take);
                _fieldLength += take;
            }
        }

        /// <summary>Stores the collected field in the header when it is one extraction needs.</summary>
        private void EndField(IncomingPartHeader header)
        {
            int length = _fieldLength;
            _fieldLength = 0;
            int colon = 0;
            while (colon < length && _field[colon] != ':')
            {
                colon++;
            }

            if (colon == 0 || colon == length)
            {
                return;
            }

            int nameLength = colon;
            while (nameLength > 0 && (_field[nameLength - 1] == ' ' || _field[nameLength - 1] == '\t'))
            {
                nameLength--;
            }

            // The first of repeated fields counts; names are compared without allocating.
            if (header.RawContentType == null && NameIs(nameLength, "content-type"))
            {
                header.RawContentType = FieldValue(colon, length);
            }
            else if (header.RawTransferEncoding == null && NameIs(nameLength, "content-transfer-encoding"))
            {
                header.RawTransferEncoding = FieldValue(colon, length);
            }
            else if (header.RawDisposition == null && NameIs(nameLength, "content-disposition"))
            {
                header.RawDisposition = FieldValue(colon, length);
            }
            else if (header.RawSubject == null && NameIs(nameLength, "subject"))
            {
                header.RawSubject = FieldValue(colon, length);
            }
            else if (header.RawFrom == null && NameIs(nameLength, "from"))
            {
                header.RawFrom = FieldValue(colon, length);
            }
        }

        private string FieldValue(int colon, int length)
        {
            // Raw 8-bit header text is taken as UTF-8 (RFC 6532); anything else shows as U+FFFD.
            return Utf8.GetString(_field, colon + 1, length - colon - 1);
        }

        private bool NameIs(int nameLength, string lowerName)
        {
            if (nameLength != lowerName.Length)
            {
                return false;
            }

            for (int i = 0; i < nameLength; i++)
            {
                int b = _field[i];
                if (b >= 'A' && b <= 'Z')
                {
                    b += 'a' - 'A';
                }

                if (b != lowerName[i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Reads the next segment and tells whether it is content, a boundary delimiter, a close delimiter or the end.</summary>
        private int NextLine()
        {
            if (_held != KindNone)
            {
                int held = _held;
                _held = KindNone;
                return held;
            }

            if (!_lines.Next())
            {
                return KindEnd;
            }

            if (_boundaryCount > 0 && _lines.StartsLine && _lines.EndsLine)
            {
                return MatchBoundary();
            }

            return KindContent;
        }

        /// <summary>Matches the current line against the open boundaries, innermost first; sets <see cref="_matchLevel"/>.</summary>
        private int MatchBoundary()
        {
            byte[] line = _lines.Buffer;
            int length = _lines.Length;
            if (length < 3 || line[0] != '-' || line[1] != '-')
            {
                return KindContent;
            }

            for (int level = _boundaryCount - 1; level >= 0; level--)
            {
                byte[] boundary = _boundaries[level];
                int rest = 2 + boundary.Length;
                if (length < rest || !StartsWith(line, 2, boundary))
                {
                    continue;
                }

                int kind = KindDelimiter;
                if (rest + 2 <= length && line[rest] == '-' && line[rest + 1] == '-')
                {
                    kind = KindClose;
                    rest += 2;
                }

                // Only transport padding (spaces and tabs) may follow a delimiter on its line.
                if (IsPadding(line, rest, length))
                {
                    _matchLevel = level;
                    return kind;
                }
            }

            return KindContent;
        }

        private int SkipBody()
        {
            int kind;
            do
            {
                kind = NextLine();
            }
            while (kind == KindContent);
            return kind;
        }

        private int SkipTooDeep(string type)
        {
            Fail("parts nested deeper than " + MaxNestingDepth.ToString() + " levels");
            AddSkippedType(type);
            return SkipBody();
        }

        private void AbortOpenPart()
        {
            if (_openWriter == null)
            {
                return;
            }

            IStorageWriter writer = _openWriter;
            string name = _openName;
            _openWriter = null;
            _openName = null;
            writer.Dispose();
            _storage.Delete(name);
        }

        private void Fail(string error)
        {
            if (_error == null)
            {
                _error = error;
            }
        }

        private void AddSkippedType(string type)
        {
            if (!_skippedTypes.Contains(type))
            {
                _skippedTypes.Add(type);
            }
        }

        private static string NoPrintablePartText(string[] skippedTypes)
        {
            if (skippedTypes.Length == 0)
            {
                return "no printable part (the message has no body part)";
            }

            string text = "no printable part (saw " + skippedTypes[0];
            for (int i = 1; i < skippedTypes.Length; i++)
            {
                text = text + ", " + skippedTypes[i];
            }

            return text + ")";
        }

        private static string Unstructured(string raw)
        {
            if (raw == null)
            {
                return string.Empty;
            }

            return MimeWordDecoder.Decode(raw).Trim();
        }

        private static string PrintableFormat(string type, string fileName)
        {
            if (type == TypeTiff || type == "image/tif")
            {
                return TypeTiff;
            }

            if (type == TypePdf)
            {
                return TypePdf;
            }

            if (type == TypeJpeg || type == "image/jpg")
            {
                return TypeJpeg;
            }

            if (type == "application/octet-stream" && fileName != null)
            {
                // MessageInfo maps .tif/.tiff, .pdf and .jpg/.jpeg the same way the composer does.
                string byName = MessageInfo.ContentTypeForFileName(fileName.Trim());
                if (byName == TypeTiff || byName == TypePdf || byName == TypeJpeg)
                {
                    return byName;
                }
            }

            return null;
        }

        private static string Extension(string format)
        {
            if (format == TypeTiff)
            {
                return ".tif";
            }

            return format == TypePdf ? ".pdf" : ".jpg";
        }

        private static int EncodingKind(string encoding)
        {
            if (encoding == "7bit" || encoding == "8bit" || encoding == "binary")
            {
                return EncodingIdentity;
            }

            if (encoding == "base64")
            {
                return EncodingBase64;
            }

            return encoding == "quoted-printable" ? EncodingQuotedPrintable : EncodingUnsupported;
        }

        private static string Describe(string format, string fileName)
        {
            return fileName == null || fileName.Length == 0 ? "a " + format + " part" : "\"" + fileName + "\"";
        }

        private static bool StartsWith(byte[] line, int offset, byte[] prefix)
        {
            for (int i = 0; i < prefix.Length; i++)
            {
                if (line[offset + i] != prefix[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsPadding(byte[] line, int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                if (line[i] != ' ' && line[i] != '\t')
                {
                    return false;
                }
            }

            return true;
        }
    }
}
