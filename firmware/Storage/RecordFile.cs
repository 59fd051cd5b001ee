using System;
using NetBoard.Firmware.Crypto;
using NetBoard.Firmware.Text;
using NetBoard.Hal;

namespace NetBoard.Firmware.Storage
{
    /// <summary>
    /// Small text records (a job, a journal entry, settings) stored so that a power cut at any
    /// point leaves either the old or the new record: the text plus a "#crc32=" trailer is written
    /// to NAME.new, committed, then renamed over NAME in one step. A record whose trailer does not
    /// match is treated as absent.
    /// </summary>
    public static class RecordFile
    {
        /// <summary>Records are small; anything larger is corrupt.</summary>
        public const int MaxRecordBytes = 16384;

        /// <summary>The suffix of a record being written.</summary>
        public const string PendingSuffix = ".new";

        private const string TrailerPrefix = "#crc32=";

        /// <summary>Writes <paramref name="text"/> as record <paramref name="name"/>, atomically.</summary>
        public static void Write(IStorage storage, string name, string text)
        {
            WriteSealed(storage, name, Seal(text));
        }

        /// <summary>
        /// Writes bytes as record <paramref name="name"/>, atomically, and wipes the sealed copy it made (the bytes
        /// may be secrets). The caller keeps and wipes its own array.
        /// </summary>
        public static void WriteBytes(IStorage storage, string name, byte[] body, int offset, int count)
        {
            byte[] bytes = SealBytes(body, offset, count);
            try
            {
                WriteSealed(storage, name, bytes);
            }
            finally
            {
                Array.Clear(bytes, 0, bytes.Length);
            }
        }

        /// <summary>The text of record <paramref name="name"/>, or null when it is missing, truncated or corrupt.</summary>
        public static string Read(IStorage storage, string name)
        {
            if (!storage.Exists(name))
            {
                return null;
            }

            byte[] bytes;
            try
            {
                bytes = ReadAll(storage, name);
            }
            catch (Exception)
            {
                // An unreadable record is as good as a missing one; the caller falls back.
                return null;
            }

            return bytes == null ? null : Unseal(bytes);
        }

        /// <summary>
        /// The bytes of record <paramref name="name"/> without the trailer, or null when it is missing, truncated or
        /// corrupt. The file's bytes read along the way are wiped; the caller owns (and wipes) the result.
        /// </summary>
        public static byte[] ReadBytes(IStorage storage, string name)
        {
            if (!storage.Exists(name))
            {
                return null;
            }

            byte[] bytes;
            try
            {
                bytes = ReadAll(storage, name);
            }
            catch (Exception)
            {
                return null;
            }

            if (bytes == null)
            {
                return null;
            }

            int length = UnsealedLength(bytes);
            byte[] body = null;
            if (length >= 0)
            {
                body = new byte[length];
                Array.Copy(bytes, body, length);
            }

            Array.Clear(bytes, 0, bytes.Length);
            return body;
        }

        /// <summary>The record's bytes: UTF-8 text, then the checksum trailer line.</summary>
        public static byte[] Seal(string text)
        {
            int length = Utf8.GetByteCount(text);
            byte[] body = new byte[length + TrailerPrefix.Length + 9];
            Utf8.GetBytes(text, body, 0);
            AppendTrailer(body, length);
            return body;
        }

        /// <summary>The record's bytes for a byte body: the body, then the checksum trailer line.</summary>
        public static byte[] SealBytes(byte[] body, int offset, int count)
        {
            if (body == null)
            {
                throw new ArgumentNullException("body");
            }

            if (offset < 0 || count < 0 || offset > body.Length - count)
            {
                throw new ArgumentOutOfRangeException("count");
            }

            byte[] bytes = new byte[count + TrailerPrefix.Length + 9];
            Array.Copy(body, offset, bytes, 0, count);
            AppendTrailer(bytes, count);
            return bytes;
        }

        /// <summary>The text of sealed bytes, or null when the trailer is missing or does not match.</summary>
        public static string Unseal(byte[] bytes)
        {
            int length = UnsealedLength(bytes);
            return length < 0 ? null : Utf8.GetString(bytes, 0, length);
        }

        /// <summary>The length of the body before the trailer of sealed bytes, or -1 when the trailer is missing or does not match.</summary>
        public static int UnsealedLength(byte[] bytes)
        {
            int trailer = bytes.Length - TrailerPrefix.Length - 9;
            if (trailer < 0 || bytes[bytes.Length - 1] != (byte)'\n')
            {
                return -1;
            }

            for (int i = 0; i < TrailerPrefix.Length; i++)
            {
                if (bytes[trailer + i] != (byte)TrailerPrefix[i])
                {
                    return -1;
                }
            }

            uint crc = Crc32.Update(0, bytes, 0, trailer);
            byte[] expected = new byte[8];
            byte[] crcBytes = new byte[] { (byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc };
            Hex.ToLower(crcBytes, 0, 4, expected, 0);
            for (int i = 0; i < 8; i++)
            {
                if (bytes[trailer + TrailerPrefix.Length + i] != expected[i])
                {
                    return -1;
                }
            }

            return trailer;
        }

        // Writes the "#crc32=xxxxxxxx\n" line after the first length bytes of bytes, which has room for it.
        private static void AppendTrailer(byte[] bytes, int length)
        {
            uint crc = Crc32.Update(0, bytes, 0, length);
            int at = length + Ascii.GetBytes(TrailerPrefix, bytes, length);
            byte[] crcBytes = new byte[] { (byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc };
            Hex.ToLower(crcBytes, 0, 4, bytes, at);
            bytes[at + 8] = (byte)'\n';
        }

        private static void WriteSealed(IStorage storage, string name, byte[] bytes)
        {
            string pending = name + PendingSuffix;
            using (IStorageWriter writer = storage.Create(pending))
            {
                writer.Write(bytes, 0, bytes.Length);
                writer.Commit();
            }

            storage.Replace(pending, name);
        }

        private static byte[] ReadAll(IStorage storage, string name)
        {
            using (IDocumentSource source = storage.OpenRead(name))
            {
                long length = source.Length;
                if (length > MaxRecordBytes)
                {
                    return null;
                }

                byte[] bytes = new byte[(int)length];
                int read = 0;
                while (read < bytes.Length)
                {
                    int n = source.Read(bytes, read, bytes.Length - read);
                    if (n == 0)
                    {
                        return null;
                    }

                    read += n;
                }

                return bytes;
            }
        }
    }
}
