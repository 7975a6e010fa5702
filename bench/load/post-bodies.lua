-- wrk script: POSTs pre-built multipart bodies in turn (args: data file, lengths file, path, content type).
local bodies = {}
local index = 0
local path, contentType

function init(args)
  local data = io.open(args[1], "rb"):read("*a")
  local position = 1
  for line in io.lines(args[2]) do
    local length = tonumber(line)
    if length then
      bodies[#bodies + 1] = data:sub(position, position + length - 1)
      position = position + length
    end
  end
  path = args[3]
  contentType = args[4]
end

function request()
  index = index % #bodies + 1
  return wrk.format("POST", path, { ["Content-Type"] = contentType }, bodies[index])
end
